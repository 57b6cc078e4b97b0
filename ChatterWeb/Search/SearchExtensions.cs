namespace ChatterWeb.Search;

public static class SearchExtensions
{
    /// <summary><c>/search</c>: every message the person can read, newest first.</summary>
    public static WebApplicationBuilder AddChatterSearch(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<MessageSearch>();
        return builder;
    }
}
