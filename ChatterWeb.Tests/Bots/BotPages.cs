using System.Net;
using System.Text.RegularExpressions;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Bots;

/// <summary>What the bot tests do through the real pages: rooms made on <c>/rooms</c>, bots on <c>/admin/bots</c>.</summary>
public static partial class BotPages
{
    public static async Task<string> CreateRoomAsync(TestUser owner, bool membersOnly = false)
    {
        var fields = new Dictionary<string, string> { ["name"] = "Bots " + Guid.NewGuid().ToString("N")[..6] };
        if (membersOnly)
            fields["membersOnly"] = "true";
        var response = await ChatterServer.PostFormAsync(owner.Http, "/rooms", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString().Split('/').Last();
    }

    /// <summary>POSTs the "Add a bot" form as <paramref name="admin"/>; the answer as it came.</summary>
    public static async Task<HttpResponseMessage> PostCreateAsync(ChatterServer server, TestUser admin, string name, string url, string? secret, string commands, params string[] slugs)
    {
        var page = await admin.Http.GetStringAsync("/admin/bots");
        var fields = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", ChatterServer.AntiforgeryToken(page)),
            new("BotName", name),
            new("BotUrl", url),
            new("BotSecret", secret ?? ""),
            new("BotCommands", commands),
        };
        foreach (var slug in slugs)
            fields.Add(new("BotRooms", (await server.RoomIdAsync(slug)).ToString()));
        return await admin.Http.PostAsync("/admin/bots?handler=Create", new FormUrlEncodedContent(fields));
    }

    /// <summary>Makes a bot on the page; its id and the secret the page shows once.</summary>
    public static async Task<(long Id, string Secret)> CreateBotAsync(ChatterServer server, TestUser admin, string name, string url, string? secret, string commands, params string[] slugs)
    {
        var response = await PostCreateAsync(server, admin, name, url, secret, commands, slugs);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {Regex.Match(html, "id=\"bot-error\"[^>]*>([^<]*)").Groups[1].Value}");
        var id = long.Parse(BotLink().Match(html).Groups[1].Value);
        var shown = WebUtility.HtmlDecode(SecretField().Match(html).Groups[1].Value);
        return (id, shown);
    }

    /// <summary>A form on a bot's page: GET it for the antiforgery token, then POST the handler.</summary>
    public static async Task<HttpResponseMessage> PostBotFormAsync(TestUser admin, long botId, string handler, IEnumerable<KeyValuePair<string, string>> fields, string query = "")
    {
        var page = await admin.Http.GetStringAsync($"/admin/bots/{botId}");
        var all = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", ChatterServer.AntiforgeryToken(page)) };
        all.AddRange(fields);
        return await admin.Http.PostAsync($"/admin/bots/{botId}?handler={handler}{query}", new FormUrlEncodedContent(all));
    }

    public static long SeqOf(string frame) => long.Parse(Seq().Match(frame).Groups[1].Value);

    [GeneratedRegex("href=\"/admin/bots/(\\d+)\">its page")]
    private static partial Regex BotLink();

    [GeneratedRegex("id=\"bot-secret-revealed\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex SecretField();

    [GeneratedRegex("data-seq=\"(\\d+)\"")]
    private static partial Regex Seq();
}
