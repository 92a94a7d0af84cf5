namespace Processional.Generators.Remote.Models;

/// <summary>An exception type of the program that is registered with <c>RemoteExceptions</c>, so that it is re-thrown with its own type.</summary>
/// <param name="TypeName">The type, fully qualified (<c>global::Shop.OrderRejectedException</c>).</param>
/// <param name="HintName">The generated file's name without extension.</param>
/// <param name="ShortName">The type's simple name, to name the registration class.</param>
/// <param name="TakesInnerException">It has a <c>(string, Exception)</c> constructor; otherwise a <c>(string)</c> one.</param>
internal sealed record ExceptionTypeModel(string TypeName, string HintName, string ShortName, bool TakesInnerException);
