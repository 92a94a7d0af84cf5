using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Processional.Generators.Helpers;
using Processional.Generators.Lambdas.Models;
using Processional.Generators.Remote.Parsing;
using Processional.Generators.Serialization.Models;
using Processional.Generators.Serialization.Walk;

namespace Processional.Generators.Lambdas.Parsing;

/// <summary>
/// Reads a call that ships lambdas to another process: a call of one of <c>SlaveProcess</c>'s lambda methods, or of any
/// method with a delegate parameter marked <c>[Remote]</c> that receives a lambda. The generator, the analyzer and the
/// serializer's roots all read calls here, so that they agree on what is intercepted and what each lambda captures.
/// </summary>
internal sealed partial class LambdaCallParser
{
    private readonly SemanticModel _model;
    private readonly ILambdaProblemSink? _sink;
    private readonly CancellationToken _cancellationToken;
    private TypeGraphWalker? _shapes;
    private bool _failed;

    private LambdaCallParser(SemanticModel model, ILambdaProblemSink? sink, CancellationToken cancellationToken)
    {
        _model = model;
        _sink = sink;
        _cancellationToken = cancellationToken;
    }

    private TypeGraphWalker Shapes => _shapes ??= new TypeGraphWalker(_model.Compilation);

    /// <summary>
    /// The cheap syntactic test: an invocation with a lambda or anonymous method argument, or a call named like one of
    /// <c>SlaveProcess</c>'s lambda methods (whose argument may be a method group or a variable).
    /// </summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken)
    {
        if (node is not InvocationExpressionSyntax invocation || invocation.ArgumentList.Arguments.Count == 0)
        {
            return false;
        }

        foreach (var argument in invocation.ArgumentList.Arguments)
        {
            if (argument.Expression is AnonymousFunctionExpressionSyntax)
            {
                return true;
            }
        }

        return GetName(invocation.Expression) is { } name && LambdaSymbols.IsSlaveMethodName(name.Identifier.ValueText);
    }

    /// <summary>
    /// The model of the call, or <see langword="null"/> when it ships nothing, cannot be intercepted, or has a problem
    /// (which goes to <paramref name="sink"/>; the generator passes none and leaves such a call alone).
    /// </summary>
    public static CallSiteModel? Parse(InvocationExpressionSyntax invocation, SemanticModel model, ILambdaProblemSink? sink, CancellationToken cancellationToken) =>
        new LambdaCallParser(model, sink, cancellationToken).Parse(invocation);

    /// <summary>The types the serializer must handle for the call: captures and results sent by value, <c>this</c>.</summary>
    public static IEnumerable<ITypeSymbol> CollectSerializedTypes(InvocationExpressionSyntax invocation, SemanticModel model, CancellationToken cancellationToken) =>
        new LambdaCallParser(model, sink: null, cancellationToken).CollectSerializedTypes(invocation);

    private CallSiteModel? Parse(InvocationExpressionSyntax invocation)
    {
        if (_model.GetSymbolInfo(invocation, _cancellationToken).Symbol is not IMethodSymbol method)
        {
            return null;
        }

        return LambdaSymbols.IsSlaveProcess(method.ContainingType) && GetSlaveKind(method) is { } kind
            ? ParseSlaveCall(invocation, method, kind)
            : ParseRemoteParameterCall(invocation, method);
    }

    private IEnumerable<ITypeSymbol> CollectSerializedTypes(InvocationExpressionSyntax invocation)
    {
        var site = Parse(invocation);
        if (site is null || _model.GetSymbolInfo(invocation, _cancellationToken).Symbol is not IMethodSymbol method)
        {
            yield break;
        }

        foreach (var (argument, parameter) in LambdaArguments(invocation, method, site.Kind))
        {
            var lambda = argument.Expression as AnonymousFunctionExpressionSyntax;
            if (lambda is not null && AnalyzeCaptures(lambda) is { } captures)
            {
                foreach (var capture in captures)
                {
                    if (IsSentByValue(capture))
                    {
                        yield return GetType(capture.Symbol)!;
                    }
                }
            }

            if (ResultSentByValue(site.Kind == LambdaKind.RemoteParameter ? RunKindOf(parameter.Type) : site.Kind, method, parameter.Type) is { } result)
            {
                yield return result;
            }
        }
    }

    /// <summary>The kind of a call of <c>SlaveProcess</c>, from the method's name and its delegate parameter.</summary>
    private static LambdaKind? GetSlaveKind(IMethodSymbol method)
    {
        var definition = method.OriginalDefinition;
        if (definition.Parameters.Length != 2 || !RemoteSymbols.IsCancellationToken(definition.Parameters[1].Type))
        {
            return null;
        }

        var delegateType = definition.Parameters[0].Type;
        var isAction = LambdaSymbols.IsAction(delegateType);
        var returnsTask = LambdaSymbols.IsFunc(delegateType) && RemoteSymbols.IsTask(((INamedTypeSymbol)delegateType).TypeArguments[0]);
        var returnsTaskOfT = LambdaSymbols.IsFunc(delegateType) && RemoteSymbols.IsTaskOfT(((INamedTypeSymbol)delegateType).TypeArguments[0]);
        return method.Name switch
        {
            "Invoke" => isAction ? LambdaKind.InvokeAction : LambdaKind.Invoke,
            "InvokeAsync" => isAction ? LambdaKind.InvokeAsyncAction : returnsTask ? LambdaKind.InvokeAsyncTask : returnsTaskOfT ? LambdaKind.InvokeAsyncTaskOfT : LambdaKind.InvokeAsync,
            "WrapAsync" => LambdaKind.Wrap,
            "CreateAsync" => LambdaKind.Create,
            "RunThreadAsync" => isAction ? LambdaKind.RunThreadAction : LambdaKind.RunThread,
            _ => null,
        };
    }

    private CallSiteModel? ParseSlaveCall(InvocationExpressionSyntax invocation, IMethodSymbol method, LambdaKind kind)
    {
        var argument = ArgumentFor(invocation, method.Parameters[0]);
        if (argument is null)
        {
            return null;
        }

        string? methodGroup = null;
        var lambda = argument.Expression as AnonymousFunctionExpressionSyntax;
        if (lambda is null)
        {
            if (kind is LambdaKind.Wrap or LambdaKind.Create or LambdaKind.RunThread or LambdaKind.RunThreadAction && IsFromRemoteParameter(argument.Expression))
            {
                Report(DiagnosticDescriptors.RemoteParameterKind, argument.Expression.GetLocation(), argument.Expression.ToString(), method.Name);
                return null;
            }

            methodGroup = GetMethodGroup(argument.Expression, method.Name);
            if (methodGroup is null)
            {
                return null;
            }
        }

        if (kind == LambdaKind.Create && !RemoteSymbols.IsRemoteInterface(method.TypeArguments[0]))
        {
            Report(DiagnosticDescriptors.NotRemoteInterface, (GetName(invocation.Expression) ?? (SyntaxNode)invocation).GetLocation(), TypeNames.Display(method.TypeArguments[0]));
        }

        var resultTypeName = method.IsGenericMethod ? TypeNames.Signature(method.TypeArguments[0]) : string.Empty;
        if (method.IsGenericMethod)
        {
            CheckResult(kind, method.TypeArguments[0], lambda ?? argument.Expression);
        }

        var model = ParseLambda(invocation, argument.Expression, lambda, method.Parameters[0].Type, kind, resultTypeName, parameterOrdinal: -1, methodGroup);
        var location = _model.GetInterceptableLocation(invocation, _cancellationToken);
        if (_failed || model is null || location is null)
        {
            return null;
        }

        var parameters = method.Parameters
            .Select(static (p, i) => new ParameterModel(i == 0 ? "func" : "cancellationToken", TypeNames.Signature(p.Type), string.Empty, string.Empty, i == 0 ? 0 : -1));
        return new CallSiteModel(
            invocation.SyntaxTree.FilePath,
            invocation.SpanStart,
            location.Version,
            location.Data,
            Display(invocation),
            kind,
            method.Name,
            TypeNames.Signature(method.ReturnType),
            resultTypeName,
            "global::Processional.SlaveProcess",
            "global::Processional.SlaveProcess",
            IsExtension: false,
            EquatableArray.From(parameters),
            EquatableArray.From(new[] { model }),
            SeesRuntimeInternals());
    }

    /// <summary>
    /// A delegate argument that is not a lambda: a static method group ships as a lambda the interceptor writes; anything
    /// else is reported (a variable only as a warning, since a delegate from a [Remote] parameter does ship).
    /// </summary>
    private string? GetMethodGroup(ExpressionSyntax expression, string callName)
    {
        var symbolInfo = _model.GetSymbolInfo(expression, _cancellationToken);
        var target = symbolInfo.Symbol as IMethodSymbol ?? symbolInfo.CandidateSymbols.OfType<IMethodSymbol>().FirstOrDefault();
        var isMethodGroup = target is not null && expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or GenericNameSyntax;
        if (!isMethodGroup || target is null)
        {
            if (!IsFromRemoteParameter(expression))
            {
                Report(DiagnosticDescriptors.UnseenDelegate, expression.GetLocation(), callName);
            }

            return null;
        }

        string? why = null;
        if (!target.IsStatic || target.MethodKind == MethodKind.ReducedExtension)
        {
            why = "an instance method group (its target object would have to travel)";
        }
        else if (target.MethodKind == MethodKind.LocalFunction)
        {
            why = "a local function";
        }
        else if (!_model.Compilation.IsSymbolAccessibleWithin(target, _model.Compilation.Assembly) || NameProblem(target.ContainingType) is not null)
        {
            why = "a static method that generated code cannot call (it is not internal or public)";
        }
        else if (target.IsGenericMethod || target.ContainingType.IsGenericType)
        {
            why = "a generic method";
        }

        if (why is not null)
        {
            Report(DiagnosticDescriptors.UnsupportedMethodGroup, expression.GetLocation(), target.Name, why);
            return null;
        }

        return TypeNames.FullyQualified(target.ContainingType) + "." + TypeNames.Identifier(target.Name);
    }

    /// <summary>Whether the expression names a parameter marked [Remote] (whose delegate carries its lambda).</summary>
    private bool IsFromRemoteParameter(ExpressionSyntax expression) =>
        _model.GetSymbolInfo(expression, _cancellationToken).Symbol is IParameterSymbol parameter &&
        RemoteSymbols.HasAttribute(parameter, RemoteSymbols.RemoteAttribute);

    private CallSiteModel? ParseRemoteParameterCall(InvocationExpressionSyntax invocation, IMethodSymbol method)
    {
        var lambdas = LambdaArguments(invocation, method, LambdaKind.RemoteParameter).ToList();
        if (lambdas.Count == 0)
        {
            return null;
        }

        var firstLambda = lambdas[0].Argument.Expression;
        var why = WhyNotInterceptable(method);
        if (why is not null)
        {
            Report(DiagnosticDescriptors.RemoteParameterNotSupported, firstLambda.GetLocation(), method.Name, why.Value.Reason, why.Value.Fix);
            return null;
        }

        var models = new List<LambdaModel>();
        var lambdaIndex = new Dictionary<IParameterSymbol, int>(SymbolEqualityComparer.Default);
        foreach (var (argument, parameter) in lambdas)
        {
            var runKind = RunKindOf(parameter.Type);
            if (runKind is null)
            {
                Report(
                    DiagnosticDescriptors.RemoteParameterNotSupported,
                    argument.Expression.GetLocation(),
                    method.Name,
                    "its type '" + TypeNames.Display(parameter.Type) + "' is not Func<T>, Func<Task>, Func<Task<T>> or Action",
                    "declare the [Remote] parameter as one of those delegate types");
                return null;
            }

            var resultType = ResultOf(runKind.Value, parameter.Type);
            if (resultType is not null)
            {
                CheckResult(runKind.Value, resultType, argument.Expression);
            }

            var lambda = (AnonymousFunctionExpressionSyntax)argument.Expression;
            var model = ParseLambda(invocation, lambda, lambda, parameter.Type, runKind.Value, resultType is null ? string.Empty : TypeNames.Signature(resultType), parameter.Ordinal, methodGroup: null);
            if (model is null)
            {
                return null;
            }

            lambdaIndex[parameter] = models.Count;
            models.Add(model);
        }

        var location = _model.GetInterceptableLocation(invocation, _cancellationToken);
        if (_failed || location is null)
        {
            return null;
        }

        var parameters = new List<ParameterModel>();
        foreach (var parameter in method.Parameters)
        {
            var name = TypeNames.Identifier(parameter.Name);
            var (modifier, argumentModifier) = parameter.RefKind switch
            {
                RefKind.Ref => ("ref ", "ref "),
                RefKind.Out => ("out ", "out "),
                RefKind.In => ("in ", "in "),
                RefKind.RefReadOnlyParameter => ("ref readonly ", "in "),
                _ => (parameter.IsParams ? "params " : string.Empty, string.Empty),
            };
            parameters.Add(new ParameterModel(name, TypeNames.Signature(parameter.Type), modifier, argumentModifier, lambdaIndex.TryGetValue(parameter, out var index) ? index : -1));
        }

        var unreduced = method.ReducedFrom is { } reducedFrom ? reducedFrom : null;
        var receiver = unreduced is not null ? TypeNames.Signature(unreduced.Parameters[0].Type) : method.IsStatic ? null : TypeNames.FullyQualified(method.ContainingType);
        return new CallSiteModel(
            invocation.SyntaxTree.FilePath,
            invocation.SpanStart,
            location.Version,
            location.Data,
            Display(invocation),
            LambdaKind.RemoteParameter,
            method.Name,
            method.ReturnsVoid ? "void" : TypeNames.Signature(method.ReturnType),
            string.Empty,
            receiver,
            TypeNames.FullyQualified(method.ContainingType),
            unreduced is not null,
            EquatableArray.From(parameters),
            EquatableArray.From(models),
            SeesRuntimeInternals());
    }

    /// <summary>Why the generator cannot write an interceptor that calls <paramref name="method"/>, and what to do.</summary>
    private (string Reason, string Fix)? WhyNotInterceptable(IMethodSymbol method)
    {
        const string MakeNonGeneric = "give it concrete types, or pass the lambda through a non-generic method";
        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.ReducedExtension))
        {
            return ("it is not an ordinary method (only calls of methods can be intercepted)", "pass the lambda to a method instead");
        }

        if (method.IsGenericMethod || method.ContainingType.IsGenericType)
        {
            return ("it is generic", MakeNonGeneric);
        }

        if (!method.IsStatic && method.ContainingType.IsValueType)
        {
            return ("it is a method of a struct", "declare it in a class, or make it static");
        }

        if (!_model.Compilation.IsSymbolAccessibleWithin(method, _model.Compilation.Assembly) || NameProblem(method.ContainingType) is not null)
        {
            return ("generated code cannot call it (it is not internal or public)", "make it internal or public");
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return ("it returns by reference", "return the value itself");
        }

        foreach (var parameter in method.Parameters)
        {
            if (NameProblem(parameter.Type) is not null)
            {
                return ("the type of its parameter '" + parameter.Name + "' cannot be named by generated code", "make that type internal or public");
            }
        }

        return !method.ReturnsVoid && NameProblem(method.ReturnType) is not null
            ? ("its return type cannot be named by generated code", "make that type internal or public")
            : null;
    }

    /// <summary>The lambdas of a call: the delegate argument of a SlaveProcess call, or each lambda passed to a [Remote] delegate parameter.</summary>
    private IEnumerable<(ArgumentSyntax Argument, IParameterSymbol Parameter)> LambdaArguments(InvocationExpressionSyntax invocation, IMethodSymbol method, LambdaKind kind)
    {
        if (kind != LambdaKind.RemoteParameter)
        {
            if (ArgumentFor(invocation, method.Parameters[0]) is { } argument)
            {
                yield return (argument, method.Parameters[0]);
            }

            yield break;
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.Type.TypeKind == TypeKind.Delegate &&
                RemoteSymbols.HasAttribute(parameter, RemoteSymbols.RemoteAttribute) &&
                ArgumentFor(invocation, parameter) is { Expression: AnonymousFunctionExpressionSyntax } argument)
            {
                yield return (argument, parameter);
            }
        }
    }

    /// <summary>How a delegate that came through a [Remote] parameter completes the call that later runs it.</summary>
    private static LambdaKind? RunKindOf(ITypeSymbol delegateType)
    {
        if (LambdaSymbols.IsAction(delegateType))
        {
            return LambdaKind.InvokeAsyncAction;
        }

        if (!LambdaSymbols.IsFunc(delegateType))
        {
            return null;
        }

        var result = ((INamedTypeSymbol)delegateType).TypeArguments[0];
        return RemoteSymbols.IsTask(result) ? LambdaKind.InvokeAsyncTask : RemoteSymbols.IsTaskOfT(result) ? LambdaKind.InvokeAsyncTaskOfT : LambdaKind.InvokeAsync;
    }

    /// <summary>The value a [Remote] parameter's delegate sends back (<c>T</c> of <c>Func&lt;T&gt;</c> or <c>Func&lt;Task&lt;T&gt;&gt;</c>), or none.</summary>
    private static ITypeSymbol? ResultOf(LambdaKind kind, ITypeSymbol delegateType) => kind switch
    {
        LambdaKind.InvokeAsync => ((INamedTypeSymbol)delegateType).TypeArguments[0],
        LambdaKind.InvokeAsyncTaskOfT => ((INamedTypeSymbol)((INamedTypeSymbol)delegateType).TypeArguments[0]).TypeArguments[0],
        _ => null,
    };

    /// <summary>The result type the serializer must handle for a lambda of this kind, or none.</summary>
    private static ITypeSymbol? ResultSentByValue(LambdaKind? kind, IMethodSymbol method, ITypeSymbol delegateType)
    {
        ITypeSymbol? result = kind switch
        {
            LambdaKind.Invoke or LambdaKind.InvokeAsync or LambdaKind.InvokeAsyncTaskOfT or LambdaKind.RunThread when method.IsGenericMethod => method.TypeArguments[0],
            LambdaKind.InvokeAsync or LambdaKind.InvokeAsyncTaskOfT when !method.IsGenericMethod || !LambdaSymbols.IsSlaveProcess(method.ContainingType) => ResultOf(kind.Value, delegateType),
            _ => null,
        };
        return result is null || result.TypeKind == TypeKind.Error || TypeGraphWalker.ContainsTypeParameters(result) ? null : result;
    }

    /// <summary>Checks the result a lambda of this kind sends back by value (or, for WrapAsync and CreateAsync, names).</summary>
    private void CheckResult(LambdaKind kind, ITypeSymbol result, SyntaxNode at)
    {
        if (result.TypeKind == TypeKind.Error || TypeGraphWalker.ContainsTypeParameters(result))
        {
            // A type parameter is the generic context's problem (PROC309), reported with the lambda.
            _failed |= TypeGraphWalker.ContainsTypeParameters(result);
            return;
        }

        var problem = NameProblem(result);
        switch (kind)
        {
            case LambdaKind.Wrap:
            case LambdaKind.Create:
                if (problem is not null)
                {
                    Report(DiagnosticDescriptors.InaccessibleType, at.GetLocation(), "The lambda's result", TypeNames.Display(result), problem);
                }

                return;
            default:
                if (problem is not null && problem.StartsWith("it is an anonymous type", System.StringComparison.Ordinal))
                {
                    Report(DiagnosticDescriptors.InaccessibleType, at.GetLocation(), "The lambda's result", TypeNames.Display(result), problem);
                }
                else if (problem is not null)
                {
                    // The serializer's walk says why (PROC106 through PROC305); no interceptor is written.
                    _failed = true;
                }

                _sink?.CheckSerializable(result, "result", at.GetLocation(), SerializedRole.Result);
                return;
        }
    }

    private LambdaModel? ParseLambda(
        InvocationExpressionSyntax invocation,
        ExpressionSyntax argument,
        AnonymousFunctionExpressionSyntax? lambda,
        ITypeSymbol delegateType,
        LambdaKind kind,
        string resultTypeName,
        int parameterOrdinal,
        string? methodGroup)
    {
        var containing = GetContainingMember(invocation, out var genericContext);
        if (genericContext is not null)
        {
            Report(DiagnosticDescriptors.GenericContext, argument.GetLocation(), genericContext.Value.Kind, genericContext.Value.Name);
            return null;
        }

        if (containing is null)
        {
            return null;
        }

        var captures = new List<CaptureModel>();
        if (lambda is not null)
        {
            var found = AnalyzeCaptures(lambda);
            if (found is null)
            {
                return null;
            }

            foreach (var capture in found)
            {
                if (ClassifyCapture(capture) is { } model)
                {
                    captures.Add(model);
                }
            }
        }

        var location = _model.GetInterceptableLocation(invocation, _cancellationToken);
        if (_failed || location is null)
        {
            return null;
        }

        return new LambdaModel(
            CallSiteIds.Of(location.Data, parameterOrdinal),
            TypeNames.Signature(delegateType),
            kind,
            resultTypeName,
            methodGroup is null ? containing : GeneratedLambdaHost,
            EquatableArray.From(captures),
            methodGroup);
    }

    /// <summary>
    /// The metadata name of the method a static method group's lambda is compiled in: the interceptor writes
    /// <c>static () => Type.Method()</c>, so the compiler names it after the interceptor, which the emitter names so.
    /// </summary>
    internal const string GeneratedLambdaHost = "Intercept";

    private static string Display(InvocationExpressionSyntax invocation)
    {
        var node = GetName(invocation.Expression) ?? (SyntaxNode)invocation;
        var position = node.GetLocation().GetLineSpan().StartLinePosition;
        return Path.GetFileName(invocation.SyntaxTree.FilePath) + "(" +
            (position.Line + 1).ToString(CultureInfo.InvariantCulture) + "," +
            (position.Character + 1).ToString(CultureInfo.InvariantCulture) + ")";
    }

    private static ArgumentSyntax? ArgumentFor(InvocationExpressionSyntax invocation, IParameterSymbol parameter)
    {
        var arguments = invocation.ArgumentList.Arguments;
        foreach (var argument in arguments)
        {
            if (argument.NameColon?.Name.Identifier.ValueText == parameter.Name)
            {
                return argument;
            }
        }

        var ordinal = parameter.Ordinal;
        return ordinal < arguments.Count && (arguments[ordinal].NameColon is null || arguments[ordinal].NameColon!.Name.Identifier.ValueText == parameter.Name)
            ? arguments[ordinal]
            : null;
    }

    internal static SimpleNameSyntax? GetName(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax memberAccess => memberAccess.Name,
        MemberBindingExpressionSyntax memberBinding => memberBinding.Name,
        SimpleNameSyntax simple => simple,
        _ => null,
    };

    private void Report(DiagnosticDescriptor descriptor, Location location, params object[] arguments)
    {
        if (descriptor.DefaultSeverity == DiagnosticSeverity.Error)
        {
            _failed = true;
        }

        _sink?.Report(descriptor, location, arguments);
    }

    private bool SeesRuntimeInternals() =>
        _model.Compilation.GetTypeByMetadataName("Processional.Hosting.RemoteLambda") is { } remoteLambda &&
        !SymbolEqualityComparer.Default.Equals(remoteLambda.ContainingAssembly, _model.Compilation.Assembly) &&
        remoteLambda.ContainingAssembly.GivesAccessTo(_model.Compilation.Assembly);

    /// <summary>Why generated code cannot name the type, or <see langword="null"/> when it can.</summary>
    internal string? NameProblem(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return NameProblem(array.ElementType);
            case IPointerTypeSymbol pointer:
                return NameProblem(pointer.PointedAtType);
            case ITypeParameterSymbol:
                return "it is a type parameter";
            case INamedTypeSymbol named:
                if (named.IsAnonymousType)
                {
                    return "it is an anonymous type";
                }

                for (var current = named; current is not null; current = current.ContainingType)
                {
                    if (current.IsFileLocal)
                    {
                        return "it is file-local";
                    }

                    if (!_model.Compilation.IsSymbolAccessibleWithin(current.OriginalDefinition, _model.Compilation.Assembly))
                    {
                        return current.DeclaredAccessibility == Accessibility.Private ? "it is private" : "it is not internal or public";
                    }
                }

                foreach (var argument in named.TypeArguments)
                {
                    if (NameProblem(argument) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
