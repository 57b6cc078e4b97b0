using System.Net;
using System.Security.Cryptography;
using System.Text;
using ChatterWeb.Data;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Rooms;

/// <summary>
/// What a room tells people who are not meant to know: email addresses on the member list only to
/// administrators and to each person their own; the slugs of closed rooms and direct conversations
/// carry no name, no member and no hint that a room of some name exists.
/// </summary>
public abstract class RoomPrivacyTests(ChatterServer server)
{
    [Fact]
    public async Task The_member_list_shows_a_member_only_their_own_email_and_an_administrator_everyones()
    {
        var ada = await server.SignUpAsync("Ada Listed");
        var bob = await server.SignUpAsync("Bob Listed");
        var admin = await server.SignUpAsync("Admin Listing");
        await server.MakeAdministratorAsync(admin.Id);
        foreach (var who in new[] { ada, bob, admin })
            await who.Http.GetStringAsync("/rooms/general"); // a visit makes a member

        var asBob = await bob.Http.GetStringAsync("/rooms/general/members");
        Assert.Contains("Ada Listed", asBob);
        Assert.DoesNotContain(ada.Email, asBob);
        Assert.DoesNotContain(admin.Email, asBob);
        Assert.Contains(bob.Email, asBob);

        var asAdmin = await admin.Http.GetStringAsync("/rooms/general/members");
        Assert.Contains(ada.Email, asAdmin);
        Assert.Contains(bob.Email, asAdmin);
    }

    [Fact]
    public async Task Creating_an_open_room_named_like_a_closed_one_someone_else_has_gives_no_hint_of_it()
    {
        var insider = await server.SignUpAsync("Plans Insider");
        var outsider = await server.SignUpAsync("Plans Outsider");
        var name = "Secret Plans " + Guid.NewGuid().ToString("N")[..6];
        var closed = await CreateAsync(insider, name, membersOnly: true);
        Assert.DoesNotContain("secret", closed);
        Assert.DoesNotContain("plans", closed);
        Assert.Matches("^room-[0-9a-f]{24}$", closed);

        var open = await CreateAsync(outsider, name, membersOnly: false);
        Assert.Equal(ChatterWeb.Rooms.RoomDirectory.Slugify(name), open); // not "…-2": nothing says a room of that name exists
    }

    [Fact]
    public async Task A_direct_conversations_slug_is_random_not_derived_from_who_is_in_it_and_the_same_people_still_get_the_same_one()
    {
        var ada = await server.SignUpAsync("Ada Direct");
        var bob = await server.SignUpAsync("Bob Direct");
        var first = await StartDirectAsync(ada, bob);
        Assert.Matches("^dm-[0-9a-f]{24}$", first);
        var derived = "dm-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', new[] { ada.Id, bob.Id }.Order(StringComparer.Ordinal)))))[..40];
        Assert.NotEqual(derived, first);

        Assert.Equal(first, await StartDirectAsync(bob, ada)); // the same two people, the same conversation
        Assert.Equal(1, await server.WithDbAsync(db => db.Rooms.CountAsync(r => r.Slug == first && r.Kind == RoomKind.Direct)));

        var carol = await server.SignUpAsync("Carol Direct");
        var group = await StartDirectAsync(ada, bob, carol);
        Assert.NotEqual(first, group); // a group of three is another conversation
        Assert.Equal(group, await StartDirectAsync(carol, ada, bob));
    }

    private static async Task<string> CreateAsync(TestUser who, string name, bool membersOnly)
    {
        var fields = new Dictionary<string, string> { ["name"] = name };
        if (membersOnly)
            fields["membersOnly"] = "true";
        var response = await ChatterServer.PostFormAsync(who.Http, "/rooms", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString().Split('/').Last();
    }

    private static async Task<string> StartDirectAsync(TestUser who, params TestUser[] with)
    {
        var form = new List<KeyValuePair<string, string>>(with.Select(w => new KeyValuePair<string, string>("with", w.Id)));
        var page = await who.Http.GetStringAsync("/direct");
        form.Add(new("__RequestVerificationToken", ChatterServer.AntiforgeryToken(page)));
        var response = await who.Http.PostAsync("/direct", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString().Split('/').Last();
    }

    public sealed class OnSqlite(ChatterServer server) : RoomPrivacyTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : RoomPrivacyTests(server), IClassFixture<PostgreSqlChatterServer>;
}
