using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace ChatterWeb.Tests.Architecture;

/// <summary>
/// Which of the app's top-level folders uses which, read from the compiled assembly: every type's
/// base type, interfaces, fields, properties, signatures, attributes and the types, methods and
/// fields its method bodies refer to (the IL). A type belongs to the folder its namespace names
/// (<c>ChatterWeb.Messages.X</c>: Messages); a compiled Razor view to the folder of its file;
/// compiler-generated types (lambdas, async state machines) to the type they were written in. The
/// root (<c>ChatterWeb</c>: the composition in ChatterWebExtensions and Program) is not a folder.
/// </summary>
public sealed class FolderGraph
{
    private static readonly Dictionary<short, OpCode> OpCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Folder -> folder it uses -> one piece of evidence ("Type.Member uses Type").</summary>
    public Dictionary<string, Dictionary<string, string>> Edges { get; } = [];

    public IReadOnlyCollection<string> Folders => [.. Edges.Keys];

    public static FolderGraph Of(Assembly assembly)
    {
        var graph = new FolderGraph();
        foreach (var type in assembly.GetTypes())
        {
            if (FolderOf(type) is not { } from)
                continue;
            graph.Edges.TryAdd(from, []);
            foreach (var (used, where) in UsedBy(type))
            {
                foreach (var target in Unwrap(used))
                {
                    if (target.Assembly != assembly || FolderOf(target) is not { } to || to == from)
                        continue;
                    graph.Edges[from].TryAdd(to, $"{Describe(type)}{where} uses {Describe(target)}");
                }
            }
        }
        return graph;
    }

    /// <summary>The groups of folders that reach each other (strongly connected components of more than one folder).</summary>
    public List<List<string>> Cycles()
    {
        var index = 0;
        var stack = new Stack<string>();
        var (indexOf, low, onStack) = (new Dictionary<string, int>(), new Dictionary<string, int>(), new HashSet<string>());
        var cycles = new List<List<string>>();
        void Visit(string v)
        {
            indexOf[v] = low[v] = index++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in Edges.GetValueOrDefault(v)?.Keys ?? Enumerable.Empty<string>())
            {
                if (!indexOf.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], indexOf[w]);
                }
            }
            if (low[v] != indexOf[v])
                return;
            var component = new List<string>();
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                component.Add(x);
            } while (x != v);
            if (component.Count > 1)
                cycles.Add([.. component.Order()]);
        }
        foreach (var v in Edges.Keys.Order())
        {
            if (!indexOf.ContainsKey(v))
                Visit(v);
        }
        return cycles;
    }

    /// <summary>The app folder a type was written in; null for the root and for types not of the app.</summary>
    public static string? FolderOf(Type type)
    {
        while (type.DeclaringType is { } outer)
            type = outer; // nested and compiler-generated types: where they were written
        if (type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == "RazorCompiledItemMetadataAttribute"
                && (string?)a.ConstructorArguments[0].Value == "Identifier") is { } razor)
        {
            var path = ((string)razor.ConstructorArguments[1].Value!).TrimStart('/').Split('/');
            return path.Length > 1 ? path[0] : null;
        }
        var ns = type.Namespace ?? "";
        if (!ns.StartsWith("ChatterWeb.", StringComparison.Ordinal))
            return null;
        return ns.Split('.')[1];
    }

    private static string Describe(Type type)
    {
        while (type.DeclaringType is { } outer && type.IsDefined(typeof(CompilerGeneratedAttribute)))
            type = outer;
        return type.FullName ?? type.Name;
    }

    /// <summary>A type with its generic arguments, element types and declaring types.</summary>
    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType)
        {
            foreach (var t in Unwrap(type.GetElementType()!))
                yield return t;
            yield break;
        }
        if (type.IsGenericParameter)
            yield break;
        yield return type;
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
                foreach (var t in Unwrap(argument))
                    yield return t;
        }
    }

    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static IEnumerable<(Type Used, string Where)> UsedBy(Type type)
    {
        if (type.BaseType is { } baseType)
            yield return (baseType, " (base type)");
        foreach (var i in type.GetInterfaces())
            yield return (i, " (interface)");
        foreach (var a in type.GetCustomAttributesData())
            yield return (a.AttributeType, " (attribute)");
        foreach (var f in type.GetFields(Everything))
            yield return (f.FieldType, "." + f.Name);
        foreach (var p in type.GetProperties(Everything))
            yield return (p.PropertyType, "." + p.Name);
        foreach (var m in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            if (m is MethodInfo info)
                yield return (info.ReturnType, "." + m.Name);
            foreach (var parameter in m.GetParameters())
                yield return (parameter.ParameterType, "." + m.Name);
            foreach (var a in m.GetCustomAttributesData())
                yield return (a.AttributeType, "." + m.Name);
            foreach (var used in BodyOf(m))
                yield return (used, "." + m.Name);
        }
    }

    /// <summary>The types a method body names: the declaring types of what it calls and reads, the types it makes, casts to and tests.</summary>
    private static IEnumerable<Type> BodyOf(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
            yield break;
        foreach (var local in method.GetMethodBody()!.LocalVariables)
            yield return local.LocalType;
        var typeArguments = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var code = il[at] == 0xFE ? OpCodes[(short)(0xFE00 | il[at + 1])] : OpCodes[il[at]];
            at += code.Size;
            var operand = code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
                _ => 4,
            };
            if (code.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                var token = BitConverter.ToInt32(il, at);
                MemberInfo? member = null;
                try
                {
                    member = method.Module.ResolveMember(token, typeArguments, methodArguments);
                }
                catch (ArgumentException)
                {
                    // a generic context the resolver cannot follow: nothing of the app's hides there
                }
                switch (member)
                {
                    case Type t:
                        yield return t;
                        break;
                    case MethodBase m when m.DeclaringType is { } declaring:
                        yield return declaring;
                        if (m is MethodInfo { IsGenericMethod: true } generic)
                            foreach (var argument in generic.GetGenericArguments())
                                yield return argument;
                        break;
                    case FieldInfo f when f.DeclaringType is { } declaring:
                        yield return declaring;
                        break;
                }
            }
            at += operand;
        }
    }
}
