using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Processional.Generators.Lambdas.Models;
using Processional.Generators.Remote.Parsing;
using Processional.Generators.Serialization.Models;
using Processional.Generators.Serialization.Walk;

namespace Processional.Generators.Lambdas.Parsing;

/// <summary>What a lambda captures, and where it is written.</summary>
internal sealed partial class LambdaCallParser
{
    private const string ThisName = "this";

    /// <summary>
    /// The variables the lambda uses from outside it (data-flow analysis: captured inside the lambda, not declared in it),
    /// in the order of their first use, each with that use and its first assignment.
    /// </summary>
    private List<CapturedVariable>? AnalyzeCaptures(AnonymousFunctionExpressionSyntax lambda)
    {
        var flow = _model.AnalyzeDataFlow(lambda); // (no overload takes a cancellation token)
        if (flow is null || !flow.Succeeded)
        {
            return null;
        }

        var declared = new HashSet<ISymbol>(flow.VariablesDeclared, SymbolEqualityComparer.Default);
        var pending = new HashSet<ISymbol>(flow.CapturedInside.Where(s => !declared.Contains(s)), SymbolEqualityComparer.Default);
        var found = new Dictionary<ISymbol, CapturedVariable>(SymbolEqualityComparer.Default);
        var thisSymbol = pending.OfType<IParameterSymbol>().FirstOrDefault(static p => p.IsThis);
        foreach (var node in lambda.DescendantNodes())
        {
            _cancellationToken.ThrowIfCancellationRequested();
            ISymbol? variable = null;
            if (node is ThisExpressionSyntax or BaseExpressionSyntax)
            {
                variable = thisSymbol;
            }
            else if (node is IdentifierNameSyntax identifier)
            {
                var symbol = _model.GetSymbolInfo(identifier, _cancellationToken).Symbol;
                if (symbol is not null && pending.Contains(symbol))
                {
                    variable = symbol;
                }
                else if (thisSymbol is not null && IsImplicitThisMember(identifier, symbol, thisSymbol.Type))
                {
                    variable = thisSymbol;
                }
            }

            if (variable is null)
            {
                continue;
            }

            if (!found.TryGetValue(variable, out var capture))
            {
                capture = new CapturedVariable(variable, node);
                found.Add(variable, capture);
            }

            if (capture.FirstWrite is null && !ReferenceEquals(variable, thisSymbol) && node is IdentifierNameSyntax name && IsWritten(name))
            {
                capture.FirstWrite = node;
            }
        }

        // A variable used only in a way no identifier shows (none known) still counts, at the lambda.
        foreach (var symbol in pending)
        {
            if (!found.ContainsKey(symbol))
            {
                found.Add(symbol, new CapturedVariable(symbol, lambda));
            }
        }

        return found.Values.OrderBy(static c => c.FirstUse.SpanStart).ToList();
    }

    /// <summary>An unqualified use of an instance member of the enclosing type (<c>Value</c> for <c>this.Value</c>).</summary>
    private static bool IsImplicitThisMember(IdentifierNameSyntax identifier, ISymbol? symbol, ITypeSymbol thisType)
    {
        if (symbol is null || symbol.IsStatic || symbol is not (IFieldSymbol or IPropertySymbol or IMethodSymbol or IEventSymbol) ||
            symbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction } || !IsMemberOf(symbol, thisType) ||
            identifier.Parent is AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax })
        {
            return false;
        }

        return identifier.Parent switch
        {
            MemberAccessExpressionSyntax access when access.Name == identifier => false,
            MemberBindingExpressionSyntax => false,
            NameColonSyntax or NameEqualsSyntax => false,
            _ => symbol.ContainingType is not null,
        };
    }

    /// <summary>Whether the member is declared by the type or one of its base types (a member of <c>this</c>).</summary>
    private static bool IsMemberOf(ISymbol member, ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, member.ContainingType?.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the identifier is assigned (<c>=</c>, compound assignments, <c>++</c>, <c>--</c>, <c>ref</c>/<c>out</c> arguments).</summary>
    private static bool IsWritten(IdentifierNameSyntax identifier)
    {
        SyntaxNode node = identifier;
        while (node.Parent is ParenthesizedExpressionSyntax)
        {
            node = node.Parent;
        }

        return node.Parent switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left == node,
            PrefixUnaryExpressionSyntax prefix => prefix.IsKind(SyntaxKind.PreIncrementExpression) || prefix.IsKind(SyntaxKind.PreDecrementExpression),
            PostfixUnaryExpressionSyntax postfix => postfix.IsKind(SyntaxKind.PostIncrementExpression) || postfix.IsKind(SyntaxKind.PostDecrementExpression),
            ArgumentSyntax argument => argument.RefKindKeyword.IsKind(SyntaxKind.RefKeyword) || argument.RefKindKeyword.IsKind(SyntaxKind.OutKeyword),
            _ => false,
        };
    }

    /// <summary>How a captured variable travels, or <see langword="null"/> (reported) when it cannot.</summary>
    private CaptureModel? ClassifyCapture(CapturedVariable capture)
    {
        var location = capture.FirstUse.GetLocation();
        var symbol = capture.Symbol;
        var isThis = symbol is IParameterSymbol { IsThis: true };
        var name = isThis ? ThisName : symbol.Name;
        if (symbol is IParameterSymbol { ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } constructor } && IsPrimaryConstructor(constructor) &&
            !IsInside(capture.FirstUse, constructor))
        {
            Report(DiagnosticDescriptors.PrimaryConstructorParameter, location, name);
            return null;
        }

        if (capture.FirstWrite is { } write)
        {
            Report(DiagnosticDescriptors.CaptureAssigned, write.GetLocation(), name);
        }

        var type = GetType(symbol);
        if (type is null || type.TypeKind == TypeKind.Error || TypeGraphWalker.ContainsTypeParameters(type))
        {
            _failed = true;
            return null;
        }

        var typeName = TypeNames.Signature(type);
        if (!isThis && LambdaSymbols.IsRemoteHandle(type))
        {
            var value = ((INamedTypeSymbol)type).TypeArguments[0];
            CheckNamed(value, location, name);
            return new CaptureModel(name, typeName, CaptureKind.Handle, TypeNames.Signature(value), IsValueType: false);
        }

        if (!isThis && RemoteSymbols.IsRemoteInterface(type))
        {
            CheckNamed(type, location, name);
            return new CaptureModel(name, typeName, CaptureKind.Remote, TypeNames.FullyQualified(type), IsValueType: false);
        }

        if (!isThis && LambdaSymbols.ProcessBoundAdvice(type) is { } advice)
        {
            Report(DiagnosticDescriptors.CaptureIsProcessBound, location, name, TypeNames.Display(type), advice);
            return null;
        }

        if (!isThis && type is INamedTypeSymbol named && SymbolFacts.IsResource(named, _model.Compilation))
        {
            // The analyzer reports it through the walk (PROC302); the generator leaves the call alone.
            _failed = true;
        }

        var problem = NameProblem(type);
        if (problem is not null)
        {
            if (problem.StartsWith("it is an anonymous type", System.StringComparison.Ordinal))
            {
                Report(DiagnosticDescriptors.InaccessibleType, location, "'" + name + "'", TypeNames.Display(type), problem);
            }

            // Otherwise the serializer's walk reports it (PROC106, through PROC300 or PROC304).
            _failed = true;
        }

        _sink?.CheckSerializable(type, name, location, isThis ? SerializedRole.This : SerializedRole.Capture);
        if (problem is not null)
        {
            return null;
        }

        var shape = Shapes.GetShape(type);
        var (kind, valueType) = shape.Kind switch
        {
            ShapeKind.Unmanaged => (CaptureKind.Unmanaged, typeName),
            ShapeKind.String => (CaptureKind.String, typeName),
            ShapeKind.UnmanagedArray => (CaptureKind.UnmanagedArray, shape.ElementTypeName!),
            _ => (CaptureKind.Formatter, TypeNames.Annotated(type)),
        };
        return new CaptureModel(name, typeName, kind, valueType, type.IsValueType);
    }

    private void CheckNamed(ITypeSymbol type, Location location, string name)
    {
        if (NameProblem(type) is { } problem)
        {
            Report(DiagnosticDescriptors.InaccessibleType, location, "'" + name + "'", TypeNames.Display(type), problem);
        }
    }

    /// <summary>Whether the captured type goes through the serializer (so that it is one of its roots).</summary>
    private bool IsSentByValue(CapturedVariable capture)
    {
        var type = GetType(capture.Symbol);
        var isThis = capture.Symbol is IParameterSymbol { IsThis: true };
        return type is not null && type.TypeKind != TypeKind.Error && !TypeGraphWalker.ContainsTypeParameters(type) &&
            (isThis || (!LambdaSymbols.IsRemoteHandle(type) && !RemoteSymbols.IsRemoteInterface(type) && LambdaSymbols.ProcessBoundAdvice(type) is null));
    }

    private static ITypeSymbol? GetType(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        _ => null,
    };

    private bool IsPrimaryConstructor(IMethodSymbol constructor) =>
        constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax(_cancellationToken) is TypeDeclarationSyntax);

    private bool IsInside(SyntaxNode node, IMethodSymbol constructor) =>
        constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax(_cancellationToken) is TypeDeclarationSyntax type &&
            (type.ParameterList?.Span.Contains(node.Span) == true || type.BaseList?.Span.Contains(node.Span) == true));

    /// <summary>
    /// The metadata name of the member the call is written in, which the compiler names the lambda after
    /// (<c>&lt;Main&gt;b__0_0</c>): lambdas and local functions are looked through (their lambdas are named after the
    /// member), field and property initializers belong to the constructor. Reports a generic context through
    /// <paramref name="genericContext"/>.
    /// </summary>
    private string? GetContainingMember(SyntaxNode call, out (string Kind, string Name)? genericContext)
    {
        genericContext = null;
        var symbol = _model.GetEnclosingSymbol(call.SpanStart, _cancellationToken);
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } inner)
        {
            if (inner.IsGenericMethod)
            {
                genericContext = ("local function", inner.Name);
            }

            symbol = inner.ContainingSymbol;
        }

        if (symbol is null)
        {
            return null;
        }

        if (symbol is IMethodSymbol { IsGenericMethod: true } generic)
        {
            genericContext ??= ("method", generic.Name);
        }

        for (var type = symbol as INamedTypeSymbol ?? symbol.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.IsGenericType)
            {
                genericContext ??= ("type", TypeNames.Display(type));
                break;
            }
        }

        return symbol switch
        {
            IMethodSymbol method => method.MetadataName,
            IFieldSymbol or IPropertySymbol or IEventSymbol => symbol.IsStatic ? ".cctor" : ".ctor",
            _ => null,
        };
    }

    /// <summary>A variable a lambda uses from outside.</summary>
    private sealed class CapturedVariable
    {
        public CapturedVariable(ISymbol symbol, SyntaxNode firstUse)
        {
            Symbol = symbol;
            FirstUse = firstUse;
        }

        public ISymbol Symbol { get; }

        /// <summary>Where the lambda first uses it: diagnostics about it go there.</summary>
        public SyntaxNode FirstUse { get; }

        public SyntaxNode? FirstWrite { get; set; }
    }
}
