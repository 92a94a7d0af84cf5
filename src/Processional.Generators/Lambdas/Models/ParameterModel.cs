namespace Processional.Generators.Lambdas.Models;

/// <summary>A parameter of an interceptor, as the intercepted method declares it with the call's type arguments.</summary>
/// <param name="Name">A name for the interceptor (keywords escaped).</param>
/// <param name="TypeName">The type, fully qualified, with every nullable annotation and tuple element name.</param>
/// <param name="Modifier">The ref kind as written before the type (<c>ref </c>, <c>out </c>, <c>in </c>, <c>ref readonly </c>, <c>params </c>), or empty.</param>
/// <param name="ArgumentModifier">The ref kind as written before an argument (<c>ref </c>, <c>out </c>, <c>in </c>), or empty.</param>
/// <param name="LambdaIndex">For a delegate parameter marked [Remote] that receives a lambda at this call, the index of that lambda in the call's list; -1 otherwise.</param>
internal sealed record ParameterModel(string Name, string TypeName, string Modifier, string ArgumentModifier, int LambdaIndex);
