using System.IO.Compression;
using System.Net.Http.Headers;
using ChatterWeb.Data;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Rooms;

/// <summary>The room page is compressed with Brotli (our quality) or gzip, and decodes to the page itself.</summary>
public class RoomPageCompressionTests(ChatterServer server) : IClassFixture<ChatterServer>
{
    private static async Task<(string? Encoding, string Html, long WireBytes)> GetAsync(HttpClient http, string path, string acceptEncoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.Add(StringWithQualityHeaderValue.Parse(acceptEncoding));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var wire = await response.Content.ReadAsByteArrayAsync();
        var encoding = response.Content.Headers.ContentEncoding.SingleOrDefault();
        Stream body = new MemoryStream(wire);
        body = encoding switch
        {
            "br" => new BrotliStream(body, CompressionMode.Decompress),
            "gzip" => new GZipStream(body, CompressionMode.Decompress),
            null => body,
            _ => throw new InvalidOperationException(encoding),
        };
        using var reader = new StreamReader(body);
        return (encoding, await reader.ReadToEndAsync(), wire.Length);
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("identity", null)]
    public async Task The_room_page_comes_compressed_as_asked_and_decodes_to_the_whole_page(string accept, string? expected)
    {
        var user = await server.SignUpAsync();
        var slug = "compressed-" + Guid.NewGuid().ToString("N")[..8];
        await server.WithDbAsync(async db =>
        {
            var room = new Room { Slug = slug, Name = slug, Kind = RoomKind.Open, LastSeq = 20, CreatedAt = DateTimeOffset.UtcNow };
            db.Rooms.Add(room);
            await db.SaveChangesAsync();
            for (var i = 0; i < 20; i++)
                db.Messages.Add(new Message { RoomId = room.Id, Seq = i + 1, AuthorId = user.Id, Body = $"message {i} for the compression test", ClientMessageId = $"{slug}-{i}", CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });

        var (encoding, html, wireBytes) = await GetAsync(user.Http, $"/rooms/{slug}", accept);

        Assert.Equal(expected, encoding);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.EndsWith("</html>", html.TrimEnd());
        Assert.Contains("message 19 for the compression test", html);
        if (expected is not null)
            Assert.True(wireBytes * 4 < html.Length, $"{expected}: {wireBytes} bytes on the wire for {html.Length} characters");
    }
}
