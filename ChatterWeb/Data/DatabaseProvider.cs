using System.ComponentModel.DataAnnotations;

namespace ChatterWeb.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}
