namespace ChatterWeb.Data;

/// <summary><c>Chatter:Database:Provider</c>, read case-insensitively (<c>Sqlite</c>, <c>SqlServer</c>, <c>PostgreSQL</c>).</summary>
public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    PostgreSql,
}
