using System.Text.RegularExpressions;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Client;

/// <summary>
/// The page's script is ES modules from 'self' (wwwroot/js, unit-tested in ChatterWeb.ClientTests):
/// the layout loads one entry module and no classic script of its own, and the modules, which import
/// each other by unversioned URLs, are revalidated on every load.
/// </summary>
public class ClientModuleTests(ChatterServer server) : IClassFixture<ChatterServer>
{
    [Fact]
    public async Task The_room_page_loads_its_script_as_modules_from_its_own_origin()
    {
        var user = await server.SignUpAsync();
        var page = await user.Http.GetStringAsync("/rooms/general");

        var own = Regex.Matches(page, "<script[^>]*src=\"(/js/[^\"]+)\"[^>]*>").Select(m => m.Value).ToList();
        Assert.Equal(2, own.Count); // page.mjs from the layout, attachments.mjs from the attach form
        Assert.All(own, tag => Assert.Contains("type=\"module\"", tag));
        Assert.Matches("src=\"/js/page\\.mjs\\?v=[^\"]+\"", own[0]);
        Assert.Matches("src=\"/js/attachments\\.mjs\\?v=[^\"]+\"", own[1]);
    }

    [Theory]
    [InlineData("/js/page.mjs")]
    [InlineData("/js/outbox.mjs")]
    public async Task A_module_is_javascript_that_the_browser_revalidates(string path)
    {
        var response = await server.NewBrowser().GetAsync(path);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache, $"{path}: Cache-Control {response.Headers.CacheControl}");
        Assert.NotNull(response.Headers.ETag);
    }
}
