using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace ChatterWeb.Bench.Target;

/// <summary>
/// Straight at the server's SQLite file: seeding a room with many messages fast (one prepared INSERT
/// in one transaction), and the two ways of reading a page of history (keyset on Seq, which the app
/// uses, and OFFSET, which it avoids) timed by the bench itself.
/// Schema (Data/Migrations/Sqlite): Messages(Id, RoomId, Seq, AuthorId, Body, ClientMessageId,
/// CreatedAt, EditedAt, DeletedAt), DateTimeOffset stored as EF's DateTimeOffsetToBinaryConverter long.
/// </summary>
public sealed class SqliteHistory(string databasePath) : IDisposable
{
    private readonly SqliteConnection _db = Open(databasePath);

    private static SqliteConnection Open(string path)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 120 }.ToString());
        db.Open();
        return db;
    }

    /// <summary>EF Core's DateTimeOffsetToBinaryConverter: ticks/1000 shifted left 11 bits, offset minutes in the low 11.</summary>
    public static long ToBinary(DateTimeOffset value) => ((value.Ticks / 1000) << 11) | ((long)value.Offset.TotalMinutes & 0x07FF);

    public static DateTimeOffset FromBinary(long value) =>
        new(new DateTime((value >> 11) * 1000), new TimeSpan(0, (int)((value << 53) >> 53), 0));

    public (long RoomId, long LastSeq) Room(string slug)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = "SELECT Id, LastSeq FROM Rooms WHERE Slug = $slug";
        cmd.Parameters.AddWithValue("$slug", slug);
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetInt64(0), r.GetInt64(1)) : throw new InvalidOperationException($"no room {slug} in {databasePath}");
    }

    public string UserId(string email)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = "SELECT Id FROM AspNetUsers WHERE NormalizedEmail = $email";
        cmd.Parameters.AddWithValue("$email", email.ToUpperInvariant());
        return cmd.ExecuteScalar() as string ?? throw new InvalidOperationException($"no user {email}");
    }

    /// <summary>
    /// Checks that a row the server wrote decodes to a sensible time with <see cref="FromBinary"/>,
    /// so seeded rows are stored exactly the way the app stores them.
    /// </summary>
    public void CheckTimeEncoding(long roomId)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = "SELECT CreatedAt FROM Messages WHERE RoomId = $room ORDER BY Seq DESC LIMIT 1";
        cmd.Parameters.AddWithValue("$room", roomId);
        if (cmd.ExecuteScalar() is not long stored)
            throw new InvalidOperationException("the room has no message written by the server to check the time encoding against");
        var decoded = FromBinary(stored);
        if ((decoded - DateTimeOffset.UtcNow).Duration() > TimeSpan.FromHours(1))
            throw new InvalidOperationException($"CreatedAt {stored} decodes to {decoded:O}: the bench's DateTimeOffset encoding does not match the app's");
    }

    /// <summary>
    /// Inserts messages <paramref name="firstSeq"/>..<paramref name="lastSeq"/> in one transaction with one
    /// prepared statement, then moves the room's LastSeq (the app's counter) to the last one. The
    /// migration's triggers index each body for search as it goes in. <paramref name="bodyOf"/> gives
    /// the body of each seq (default: one line of filler with the seq in it).
    /// </summary>
    public void Seed(long roomId, string authorId, long firstSeq, long lastSeq, Action<long>? progress, Func<long, string>? bodyOf = null)
    {
        bodyOf ??= s => $"Seeded message {s}: the kind of thing people write in a busy team room, give or take.";
        using var tx = _db.BeginTransaction();
        using (var insert = _db.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO Messages (RoomId, Seq, AuthorId, Body, ClientMessageId, CreatedAt) VALUES ($room, $seq, $author, $body, $cmid, $at)";
            var room = insert.Parameters.Add("$room", SqliteType.Integer);
            var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
            var author = insert.Parameters.Add("$author", SqliteType.Text);
            var body = insert.Parameters.Add("$body", SqliteType.Text);
            var cmid = insert.Parameters.Add("$cmid", SqliteType.Text);
            var at = insert.Parameters.Add("$at", SqliteType.Integer);
            insert.Prepare();
            room.Value = roomId;
            author.Value = authorId;
            // Spread over the last N seconds so times rise with seq, like a real history.
            var start = DateTimeOffset.UtcNow.AddSeconds(-(lastSeq - firstSeq + 1));
            for (var s = firstSeq; s <= lastSeq; s++)
            {
                seq.Value = s;
                body.Value = bodyOf(s);
                cmid.Value = $"seed-{roomId}-{s}"; // unique per author: one author may seed several rooms
                at.Value = ToBinary(start.AddSeconds(s - firstSeq));
                insert.ExecuteNonQuery();
                if ((s - firstSeq) % 10_000 == 0)
                    progress?.Invoke(s - firstSeq);
            }
        }
        using (var update = _db.CreateCommand())
        {
            update.Transaction = tx;
            update.CommandText = "UPDATE Rooms SET LastSeq = $last WHERE Id = $room";
            update.Parameters.AddWithValue("$last", lastSeq);
            update.Parameters.AddWithValue("$room", roomId);
            update.ExecuteNonQuery();
        }
        tx.Commit();
        using var checkpoint = _db.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        checkpoint.ExecuteNonQuery();
    }

    /// <summary>Messages stored in the file, all rooms.</summary>
    public long MessageCount()
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM Messages";
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>A consistent copy of the whole database (SQLite's online backup), e.g. to start another server on.</summary>
    public void CopyTo(string path)
    {
        using var copy = Open(path);
        _db.BackupDatabase(copy);
    }

    private const string Select =
        "SELECT m.Seq, m.AuthorId, u.DisplayName, m.Body, m.CreatedAt, m.EditedAt, m.DeletedAt " +
        "FROM Messages AS m INNER JOIN AspNetUsers AS u ON m.AuthorId = u.Id ";

    /// <summary>A prepared query for a page of 51 rows (50 + "is there more"), keyset or OFFSET.</summary>
    public sealed class PageQuery : IDisposable
    {
        private readonly SqliteCommand _cmd;
        private readonly SqliteParameter _position;

        internal PageQuery(SqliteConnection db, long roomId, bool offset)
        {
            _cmd = db.CreateCommand();
            _cmd.CommandText = Select + (offset
                ? "WHERE m.RoomId = $room ORDER BY m.Seq DESC LIMIT 51 OFFSET $position"
                : "WHERE m.RoomId = $room AND m.Seq < $position ORDER BY m.Seq DESC LIMIT 51");
            _cmd.Parameters.AddWithValue("$room", roomId);
            _position = _cmd.Parameters.Add("$position", SqliteType.Integer);
            _cmd.Prepare();
        }

        /// <summary>Runs the query, reads every column of every row, returns (rows, first seq, elapsed).</summary>
        public (int Rows, long FirstSeq, TimeSpan Elapsed) Run(long position)
        {
            _position.Value = position;
            var started = Stopwatch.GetTimestamp();
            var rows = 0;
            long first = 0;
            using (var r = _cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    var seq = r.GetInt64(0);
                    if (rows++ == 0)
                        first = seq;
                    _ = r.GetString(1);
                    _ = r.GetString(2);
                    _ = r.GetString(3);
                    _ = r.GetInt64(4);
                    _ = r.IsDBNull(5) ? 0 : r.GetInt64(5);
                    _ = r.IsDBNull(6) ? 0 : r.GetInt64(6);
                }
            }
            return (rows, first, Stopwatch.GetElapsedTime(started));
        }

        public void Dispose() => _cmd.Dispose();
    }

    /// <summary>Keyset: the page below <c>before</c> (position = before seq).</summary>
    public PageQuery Keyset(long roomId) => new(_db, roomId, offset: false);

    /// <summary>OFFSET: skip <c>position</c> newer rows.</summary>
    public PageQuery Offset(long roomId) => new(_db, roomId, offset: true);

    public void Dispose() => _db.Dispose();
}
