using System.Linq.Expressions;
using System.Reflection;

namespace ChatterWeb.Data;

/// <summary>
/// One expression used inside others, so a rule or a projection is written once and every query
/// that needs it translates it to SQL: inside a query, <c>rule.Invoke(a, b)</c> marks where the
/// rule goes, and <see cref="Expand{T}"/> (or <see cref="Expanded{T}"/> on a query) puts the rule's
/// body there, its parameters replaced by the arguments. A marker that was not expanded throws.
/// </summary>
public static class Inline
{
    private const string NotExpanded = "Inline.Invoke only marks an expression to put in place: expand the query (Inline.Expand or Expanded) first.";

    public static TResult Invoke<T1, T2, TResult>(this Expression<Func<T1, T2, TResult>> expression, T1 a, T2 b) => throw new InvalidOperationException(NotExpanded);

    public static TResult Invoke<T1, T2, T3, T4, TResult>(this Expression<Func<T1, T2, T3, T4, TResult>> expression, T1 a, T2 b, T3 c, T4 d) => throw new InvalidOperationException(NotExpanded);

    public static TResult Invoke<T1, T2, T3, T4, T5, TResult>(this Expression<Func<T1, T2, T3, T4, T5, TResult>> expression, T1 a, T2 b, T3 c, T4 d, T5 e) => throw new InvalidOperationException(NotExpanded);

    /// <summary>The expression with every <c>Invoke</c> marker replaced by the body it names (also inside that body).</summary>
    public static Expression<T> Expand<T>(Expression<T> expression) => (Expression<T>)new Expander().Visit(expression);

    /// <summary>The query with every <c>Invoke</c> marker in it expanded.</summary>
    public static IQueryable<T> Expanded<T>(this IQueryable<T> query) => query.Provider.CreateQuery<T>(new Expander().Visit(query.Expression));

    private sealed class Expander : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.DeclaringType != typeof(Inline) || node.Method.Name != nameof(Invoke))
                return base.VisitMethodCall(node);
            var lambda = (LambdaExpression)ValueOf(node.Arguments[0]);
            var arguments = node.Arguments.Skip(1).Select(Visit).ToList();
            var body = new Substitute(lambda.Parameters, arguments!).Visit(lambda.Body);
            return Visit(body);
        }

        /// <summary>The expression the marker names: a static field or property, or a value captured by a closure.</summary>
        private static object ValueOf(Expression holder) => holder switch
        {
            ConstantExpression constant => constant.Value!,
            MemberExpression { Member: FieldInfo field } member => field.GetValue(member.Expression is null ? null : ValueOf(member.Expression))!,
            MemberExpression { Member: PropertyInfo property } member => property.GetValue(member.Expression is null ? null : ValueOf(member.Expression))!,
            _ => Expression.Lambda<Func<object>>(Expression.Convert(holder, typeof(object))).Compile()(),
        };
    }

    private sealed class Substitute(IReadOnlyList<ParameterExpression> parameters, IReadOnlyList<Expression> arguments) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node)
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                if (node == parameters[i])
                    return arguments[i];
            }
            return node;
        }
    }
}
