namespace ChatterWeb.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}
