using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ChatterWeb.Data;

/// <summary>
/// A compiled query (<see cref="EF.CompileAsyncQuery{TContext,TResult}(System.Linq.Expressions.Expression{Func{TContext,TResult}})"/>)
/// per model. EF refuses to run a compiled query against a model other than the one it was compiled
/// for, and the SQLite and SQL Server contexts have different models (tests use both in one process),
/// so each model gets its own, compiled on first use.
/// </summary>
/// <remarks>
/// Compiled queries skip what EF does for every LINQ query it runs: building the expression tree,
/// extracting its parameters and hashing it to look the translation up in the query cache. On the
/// room page that was a fifth of the request's CPU.
/// </remarks>
public sealed class CompiledQuery<TDelegate>(Func<TDelegate> compile) where TDelegate : class
{
    private readonly ConditionalWeakTable<IModel, TDelegate> _byModel = new();

    public TDelegate For(DbContext db) => _byModel.TryGetValue(db.Model, out var query) ? query : _byModel.GetValue(db.Model, _ => compile());
}
