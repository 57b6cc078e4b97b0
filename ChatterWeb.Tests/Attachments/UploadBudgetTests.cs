using System.Net;
using ChatterWeb.Attachments;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Attachments;

public sealed class TwoUploadsPerMinuteServer : ChatterServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Chatter:Attachments:UploadsPerMinute", "2")];
}

/// <summary>Uploads per person per minute: the next one is refused before it is read, other people are unaffected.</summary>
public class UploadBudgetTests(TwoUploadsPerMinuteServer server) : IClassFixture<TwoUploadsPerMinuteServer>
{
    private static async Task<HttpResponseMessage> UploadAsync(TestUser user, string name)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(ChatterServer.AntiforgeryToken(await user.Http.GetStringAsync("/rooms/general"))), "__RequestVerificationToken" },
            { new StringContent(Guid.NewGuid().ToString()), "clientMessageId" },
            { new ByteArrayContent(TestImages.Png(8, 8)), "file", name },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/rooms/general/attachments") { Content = form };
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        return await user.Http.SendAsync(request);
    }

    [Fact]
    public async Task The_upload_after_the_budget_gets_429_and_stores_nothing_while_others_can_still_upload()
    {
        var ada = await server.SignUpAsync();
        var grace = await server.SignUpAsync();
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(ada, "1.png")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(ada, "2.png")).StatusCode);

        var third = await UploadAsync(ada, "3.png");
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal(UploadBudget.TooManyError, await third.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(grace, "mine.png")).StatusCode);

        var names = await server.WithDbAsync(db => db.Attachments.OrderBy(a => a.CreatedAt).Select(a => a.FileName).ToListAsync());
        Assert.Equal(["1.png", "2.png", "mine.png"], names);
        Assert.Equal(3 * 2, Directory.GetFiles(server.AttachmentsPath, "*", SearchOption.AllDirectories).Length); // each image and its thumbnail
    }
}
