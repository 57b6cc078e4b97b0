using System.Data;
using System.Text.RegularExpressions;
using ChatterWeb.Data;
using ChatterWeb.Messages;
using ChatterWeb.Notifications;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.Data;

/// <summary>
/// The app wired for SQL Server the way a deployment wires it (Chatter:Database:Provider =
/// SqlServer: the SQL Server provider, its retrying execution strategy), running the real
/// MessageHistory and PostMessageHandler over a stand-in connection that records the SQL.
/// Proves the hot statements are index seeks on SQL Server: equality on the leading key column,
/// a range on Seq, TOP, parameters typed like their columns (no implicit conversion), never OFFSET.
/// </summary>
public class SqlServerQueryShapeTests
{
    private const long RoomId = 7;
    private const long NextSeq = 42;

    private sealed class SqlServerApp : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly AsyncServiceScope _scope;

        public SqlServerApp(SqlServerWithoutAServer connection)
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Chatter:Database:Provider"] = "SqlServer",
                ["ConnectionStrings:Chatter"] = "Server=none.invalid;Database=Chatter;User Id=sa;Password=unused;TrustServerCertificate=True",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            builder.AddChatterWeb();
            _app = builder.Build();
            _scope = _app.Services.CreateAsyncScope();
            var db = _scope.ServiceProvider.GetRequiredService<ChatterDbContext>();
            Assert.True(db.Database.IsSqlServer(), "the app did not choose the SQL Server provider");
            db.Database.SetDbConnection(connection);
        }

        public T Get<T>() where T : notnull => _scope.ServiceProvider.GetRequiredService<T>();

        public async ValueTask DisposeAsync()
        {
            await _scope.DisposeAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>The inner SELECT TOP(n) ... FROM [Messages] of a history query, as one line.</summary>
    private static Match MessagesSeek(SqlServerWithoutAServer.Command command, string seqPredicate, string order)
    {
        var pattern =
            @"SELECT TOP\((?<top>@\w+)\) [^()]*? FROM \[Messages\] AS \[(?<m>\w+)\] " +
            @"WHERE \[\k<m>\]\.\[RoomId\] = (?<room>@\w+)" + seqPredicate + " " +
            @"ORDER BY \[\k<m>\]\.\[Seq\]" + order + @" \)";
        var match = Regex.Match(command.OneLine, pattern);
        Assert.True(match.Success, $"not the expected seek shape:\n{command.Text}");
        Assert.DoesNotContain("OFFSET", command.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("FETCH", command.Text, StringComparison.OrdinalIgnoreCase);
        return match;
    }

    private static void AssertBigint(SqlServerWithoutAServer.Command command, string name, long value)
    {
        var parameter = command[name];
        Assert.Equal(SqlDbType.BigInt, parameter.Type); // same type as the bigint column: a seek, not a scan with CONVERT_IMPLICIT
        Assert.Equal(value, parameter.Value);
    }

    [Fact]
    public void The_Messages_index_that_these_queries_seek_is_unique_on_RoomId_then_Seq()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var index = db.Model.FindEntityType(typeof(Message))!.GetIndexes()
            .Single(i => i.Properties.Select(p => p.Name).SequenceEqual(["RoomId", "Seq"]));
        Assert.True(index.IsUnique);
        Assert.Null(index.GetFilter());
    }

    [Fact]
    public async Task An_older_page_is_a_TOP_seek_below_a_Seq_in_one_room_never_OFFSET()
    {
        var sql = new SqlServerWithoutAServer();
        await using (var app = new SqlServerApp(sql))
            await app.Get<MessageHistory>().BeforeAsync(RoomId, beforeSeq: 500);

        var command = Assert.Single(sql.Commands);
        var seek = MessagesSeek(command, @" AND \[\k<m>\]\.\[Seq\] < (?<seq>@\w+)", " DESC");
        AssertBigint(command, seek.Groups["room"].Value, RoomId);
        AssertBigint(command, seek.Groups["seq"].Value, 500);
        Assert.Equal(MessageHistory.PageSize + 1, command[seek.Groups["top"].Value].Value);
    }

    [Fact]
    public async Task The_newest_page_is_a_TOP_seek_on_the_room_ordered_by_Seq_descending()
    {
        var sql = new SqlServerWithoutAServer();
        await using (var app = new SqlServerApp(sql))
            await app.Get<MessageHistory>().BeforeAsync(RoomId, beforeSeq: null);

        var command = Assert.Single(sql.Commands);
        var seek = MessagesSeek(command, "", " DESC");
        AssertBigint(command, seek.Groups["room"].Value, RoomId);
        Assert.Equal(MessageHistory.PageSize + 1, command[seek.Groups["top"].Value].Value);
    }

    [Fact]
    public async Task Catching_up_after_a_reconnect_is_a_TOP_seek_above_a_Seq_in_one_room()
    {
        var sql = new SqlServerWithoutAServer();
        await using (var app = new SqlServerApp(sql))
            await app.Get<MessageHistory>().AfterAsync(RoomId, afterSeq: 500, limit: 100);

        var command = Assert.Single(sql.Commands);
        var seek = MessagesSeek(command, @" AND \[\k<m>\]\.\[Seq\] > (?<seq>@\w+)", "");
        AssertBigint(command, seek.Groups["room"].Value, RoomId);
        AssertBigint(command, seek.Groups["seq"].Value, 500);
        Assert.Equal(100, command[seek.Groups["top"].Value].Value);
    }

    [Fact]
    public async Task The_room_page_reads_its_room_with_the_viewers_membership_by_Slug_and_its_sidebar_in_one_statement()
    {
        var sql = new SqlServerWithoutAServer();
        await using (var app = new SqlServerApp(sql))
        {
            Assert.Null(await app.Get<RoomDirectory>().VisitAsync("general", "user-1")); // no rows: no such room
            Assert.Empty((await app.Get<Sidebar>().LoadAsync("user-1", "general")).Rooms);
        }

        Assert.Equal(2, sql.Commands.Count);
        var visit = sql.Commands[0];
        var shape = Regex.Match(visit.OneLine, @"^SELECT TOP\(1\) .* FROM \[Rooms\] AS \[(?<r>\w+)\] LEFT JOIN \(.*\[UserId\] = (?<u>@\w+).*\) AS \[\w+\] ON .* WHERE \[\k<r>\]\.\[Slug\] = (?<s>@\w+)$");
        Assert.True(shape.Success, $"not one read of the room by Slug with the viewer's membership:\n{visit.Text}");
        // nvarchar parameters sized like the columns (the unique Slug index, the membership key): seeks, no conversion.
        Assert.Equal((SqlDbType.NVarChar, 64, (object?)"general"), (visit[shape.Groups["s"].Value].Type, visit[shape.Groups["s"].Value].Size, visit[shape.Groups["s"].Value].Value));
        Assert.Equal((SqlDbType.NVarChar, 450, (object?)"user-1"), (visit[shape.Groups["u"].Value].Type, visit[shape.Groups["u"].Value].Size, visit[shape.Groups["u"].Value].Value));

        var sidebar = sql.Commands[1];
        // the unread counts: per member room, a range on (RoomId, Seq) bounded by the count window
        var counts = Regex.Matches(sidebar.OneLine, @"SELECT COUNT\(\*\) FROM \[Messages\] AS \[(?<m>\w+)\] WHERE \[\k<m>\]\.\[RoomId\] = \[\w+\]\.\[Id\] AND \[\k<m>\]\.\[Seq\] > \[\w+\]\.\[LastReadSeq\] AND \[\k<m>\]\.\[Seq\] > \[\w+\]\.\[LastSeq\] - CAST\(" + ChatterWeb.Data.UnreadRule.CountWindow + @" AS bigint\)");
        Assert.True(counts.Count == 2, $"expected the unread and mention counts as two window-bounded seeks:\n{sidebar.Text}");
        Assert.Contains("ORDER BY [", sidebar.OneLine);
    }

    /// <summary>One message through the writer's store (the group commit's transaction, for a batch of one).</summary>
    private static async Task<StoredMessage> Store(SqlServerApp app, string clientMessageId) =>
        Assert.Single(await MessageWriter.StoreBatchAsync(app.Get<ChatterDbContext>(), app.Get<IMessageRows>(),
            [new NewMessage(new RoomInfo(RoomId, "room", "Room", RoomKind.Open), "user-1", "Ann", "hello", clientMessageId)], DateTimeOffset.UtcNow))!.Value;


    [Fact]
    public async Task Posting_takes_the_next_Seq_with_one_row_UPDATE_in_the_same_transaction_as_the_insert()
    {
        var sql = new SqlServerWithoutAServer
        {
            Results = text =>
                text.Contains("INSERT INTO [Messages]") ? Rows("Id", 1001L)
                : text.StartsWith("UPDATE [Rooms]", StringComparison.Ordinal) ? Rows("LastSeq", NextSeq)
                : null,
        };
        StoredMessage stored;
        await using (var app = new SqlServerApp(sql))
            stored = await Store(app, "cmid-1");

        Assert.False(stored.Duplicate);
        Assert.Equal(NextSeq, stored.Message.Seq);

        var commands = sql.Commands;
        // The counter moves and comes back in ONE statement: a single-row UPDATE by primary key with OUTPUT (none when the room is archived).
        var update = commands.Single(c => c.Text.Contains("[LastSeq]"));
        Assert.Equal("UPDATE [Rooms] SET [LastSeq] = [LastSeq] + @count OUTPUT INSERTED.[LastSeq] WHERE [Id] = @room AND [ArchivedAt] IS NULL", update.OneLine);
        Assert.Equal("scalar", update.Kind);
        AssertBigint(update, "@room", RoomId);
        AssertBigint(update, "@count", 1); // the batch's message count in this room
        var insert = commands.Single(c => c.Text.Contains("INSERT INTO [Messages]"));
        var seqParameter = insert.Parameters.Single(p => p.Value is long v && v == NextSeq);
        Assert.Equal(SqlDbType.BigInt, seqParameter.Type);

        // UPDATE -> INSERT, in that order, on one transaction committed after the insert.
        var (u, i) = (IndexOf(commands, update), IndexOf(commands, insert));
        Assert.True(u < i, "expected the UPDATE of LastSeq before the INSERT");
        Assert.NotNull(update.Transaction);
        Assert.All(commands.Skip(u).Take(i - u + 1), c => Assert.Same(update.Transaction, c.Transaction));
        Assert.Equal([$"begin@{u}", $"commit@{i + 1}"], sql.TransactionEvents);
    }

    [Fact]
    public async Task A_resend_is_found_by_a_seek_on_AuthorId_and_ClientMessageId()
    {
        // A resend is refused by the unique index (its transaction rolls back: no Seq taken, see
        // GroupCommitTests); the writer then finds the stored message with this lookup.
        var sql = new SqlServerWithoutAServer
        {
            Results = text => text.Contains("[ClientMessageId] = @") ? StoredMessage() : null,
        };
        MessageView? found;
        await using (var app = new SqlServerApp(sql))
            found = await app.Get<MessageHistory>().SentAsync("user-1", "cmid-1");

        Assert.Equal(9, found?.Seq);
        var lookup = Assert.Single(sql.Commands);
        var shape = Regex.Match(lookup.OneLine, @"WHERE \[(?<m>\w+)\]\.\[AuthorId\] = (?<a>@\w+) AND \[\k<m>\]\.\[ClientMessageId\] = (?<c>@\w+)$");
        Assert.True(shape.Success, $"not a lookup on (AuthorId, ClientMessageId):\n{lookup.Text}");
        // nvarchar parameters sized like the nvarchar(450)/nvarchar(64) columns of the unique index.
        Assert.Equal((SqlDbType.NVarChar, 450, (object?)"user-1"), (lookup[shape.Groups["a"].Value].Type, lookup[shape.Groups["a"].Value].Size, lookup[shape.Groups["a"].Value].Value));
        Assert.Equal((SqlDbType.NVarChar, 64, (object?)"cmid-1"), (lookup[shape.Groups["c"].Value].Type, lookup[shape.Groups["c"].Value].Size, lookup[shape.Groups["c"].Value].Value));
        Assert.Empty(sql.TransactionEvents);
    }

    private static DataTable StoredMessage()
    {
        var table = new DataTable();
        table.Columns.Add("Seq", typeof(long));
        table.Columns.Add("AuthorId", typeof(string));
        table.Columns.Add("DisplayName", typeof(string));
        table.Columns.Add("Body", typeof(string));
        table.Columns.Add("CreatedAt", typeof(DateTimeOffset));
        table.Columns.Add("EditedAt", typeof(DateTimeOffset));
        table.Columns.Add("DeletedAt", typeof(DateTimeOffset));
        table.Columns.Add("Mentions", typeof(string));
        // the message's attachment (LEFT JOIN): none
        table.Columns.Add("NoAttachment", typeof(bool));
        table.Columns.Add("AttachmentId", typeof(string));
        table.Columns.Add("FileName", typeof(string));
        table.Columns.Add("ContentType", typeof(string));
        table.Columns.Add("Length", typeof(long));
        table.Columns.Add("Width", typeof(int));
        table.Columns.Add("Height", typeof(int));
        table.Columns.Add("HasThumbnail", typeof(bool));
        table.Columns.Add("Animated", typeof(bool));
        table.Columns.Add("ChangeSeq", typeof(long));
        table.Columns.Add("ContinuesPrevious", typeof(bool));
        table.Columns.Add("DeletedByAdministrator", typeof(bool));
        table.Columns.Add("RoomSlug", typeof(string));
        table.Columns.Add("IsBot", typeof(bool));
        table.Columns.Add("Avatar", typeof(string));
        table.Columns.Add("Reactions", typeof(string));
        table.Columns.Add("ParentSeq", typeof(long));
        table.Columns.Add("AlsoInRoom", typeof(bool));
        table.Columns.Add("ThreadSummary", typeof(string));
        table.Columns.Add("PinnedAt", typeof(DateTimeOffset));
        table.Columns.Add("RoomMention", typeof(int));
        table.Rows.Add(9L, "user-1", "Ann", "hello", DateTimeOffset.UtcNow, DBNull.Value, DBNull.Value, DBNull.Value,
            true, DBNull.Value, DBNull.Value, DBNull.Value, DBNull.Value, DBNull.Value, DBNull.Value, false, DBNull.Value, 0L, false, false, "room",
            false, DBNull.Value, DBNull.Value, DBNull.Value, false, DBNull.Value, DBNull.Value, 0);
        return table;
    }

    private static DataTable Rows(string column, params object[] values)
    {
        var table = new DataTable();
        table.Columns.Add(column, values[0].GetType());
        foreach (var value in values)
            table.Rows.Add(value);
        return table;
    }

    [Fact]
    public async Task A_gatherings_read_marks_are_one_UPDATE_per_room_that_outputs_who_moved_in_one_transaction()
    {
        var (seven, eight) = (new RoomInfo(7, "seven", "Seven", RoomKind.Open), new RoomInfo(8, "eight", "Eight", RoomKind.Open));
        var sql = new SqlServerWithoutAServer
        {
            Results = text =>
                text.Contains("FROM [Rooms]") ? RoomsNewest((7, 50), (8, 3))
                : !text.StartsWith("UPDATE [Memberships]", StringComparison.Ordinal) ? null
                : text.Contains("@u1") ? Rows("UserId", "user-2") // room 7: two readers, the server says user-2 moved
                : Rows("UserId", "user-1"),
        };
        List<(RoomInfo Room, string UserId)> moved;
        await using (var app = new SqlServerApp(sql))
            moved = await app.Get<ChatterWeb.Notifications.ReadState>().MarkReadAsync([(seven, "user-1", 40L), (seven, "user-2", 60L), (eight, "user-1", 9L), (seven, "user-1", 30L)]);

        Assert.Equal([(seven, "user-2"), (eight, "user-1")], moved); // exactly what the statements output
        var updates = sql.Commands.Where(c => c.Text.StartsWith("UPDATE", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, updates.Count); // one per room, not one per room and seq
        var eights = updates.Single(u => (long)u["@room"].Value! == 8);
        Assert.Equal("UPDATE [Memberships] SET [LastReadSeq] = CASE [UserId] WHEN @u0 THEN @s0 END OUTPUT INSERTED.[UserId] "
            + "WHERE [RoomId] = @room AND [UserId] IN (@u0) AND [LastReadSeq] < CASE [UserId] WHEN @u0 THEN @s0 END", eights.OneLine);
        Assert.Equal("reader", eights.Kind);
        AssertBigint(eights, "@s0", 3); // clamped to the room's newest
        // The key column is nvarchar(450): the same type and size, a seek on (RoomId, UserId) and one cached plan.
        Assert.Equal((SqlDbType.NVarChar, 450, (object?)"user-1"), (eights["@u0"].Type, eights["@u0"].Size, eights["@u0"].Value));
        var sevens = updates.Single(u => (long)u["@room"].Value! == 7);
        AssertBigint(sevens, "@room", 7);
        var marks = new[] { 0, 1 }.ToDictionary(i => (string)sevens[$"@u{i}"].Value!, i => (long)sevens[$"@s{i}"].Value!);
        Assert.Equal(new Dictionary<string, long> { ["user-1"] = 40, ["user-2"] = 50 }, marks); // the furthest of two marks; clamped
        Assert.Contains("AND [LastReadSeq] < CASE [UserId] WHEN @u0 THEN @s0 WHEN @u1 THEN @s1 END", sevens.OneLine); // never back

        // the rooms' newest seqs read first, outside any transaction; then both rooms' UPDATEs in one
        Assert.Equal(3, sql.Commands.Count);
        Assert.Null(sql.Commands[0].Transaction);
        Assert.NotNull(updates[0].Transaction);
        Assert.Same(updates[0].Transaction, updates[1].Transaction);
        Assert.Equal(["begin@1", "commit@3"], sql.TransactionEvents);
    }

    [Fact]
    public async Task A_big_gathering_of_read_marks_is_written_in_transactions_of_whole_rooms_of_at_most_MarksPerTurn()
    {
        RoomInfo Room(long id) => new(id, $"r{id}", $"R{id}", RoomKind.Open);
        var (big, middle, small) = (Room(7), Room(8), Room(9));
        var sql = new SqlServerWithoutAServer
        {
            Results = text =>
                text.Contains("FROM [Rooms]") ? RoomsNewest((7, 50), (8, 50), (9, 50))
                : text.StartsWith("UPDATE [Memberships]", StringComparison.Ordinal) ? Rows("UserId", "user-0")
                : null,
        };
        var perTurn = ChatterWeb.Notifications.ReadState.MarksPerTurn;
        var marks = Enumerable.Range(0, perTurn - 50).Select(i => (big, $"user-{i}", 5L))
            .Concat(Enumerable.Range(0, 49).Select(i => (middle, $"user-{i}", 5L))) // fills the first turn to one short
            .Concat(Enumerable.Range(0, 2).Select(i => (small, $"user-{i}", 5L))) // would pass it: the next turn
            .ToList();
        await using (var app = new SqlServerApp(sql))
            await app.Get<ChatterWeb.Notifications.ReadState>().MarkReadAsync(marks);

        var updates = sql.Commands.Where(c => c.Text.StartsWith("UPDATE", StringComparison.Ordinal)).ToList();
        Assert.Equal([7L, 8L, 9L], updates.Select(u => (long)u["@room"].Value!));
        Assert.Same(updates[0].Transaction, updates[1].Transaction);
        Assert.NotSame(updates[1].Transaction, updates[2].Transaction);
        Assert.Equal(["begin@1", "commit@3", "begin@3", "commit@4"], sql.TransactionEvents);
    }

    private static DataTable RoomsNewest(params (long Id, long LastSeq)[] rooms)
    {
        var table = new DataTable();
        table.Columns.Add("Id", typeof(long));
        table.Columns.Add("LastSeq", typeof(long));
        foreach (var (id, lastSeq) in rooms)
            table.Rows.Add(id, lastSeq);
        return table;
    }

    private static int IndexOf(IReadOnlyList<SqlServerWithoutAServer.Command> commands, SqlServerWithoutAServer.Command command)
    {
        for (var i = 0; i < commands.Count; i++)
        {
            if (ReferenceEquals(commands[i], command))
                return i;
        }
        return -1;
    }
}
