namespace ChatterWeb.SqlServerTests;

// The database suite of ChatterWeb.Tests on SQL Server: each class below runs every test of its
// abstract class (the same tests its OnSqlite and OnPostgreSql twins run) against a fresh database.
// Not here: Delivery/DeliveryTests, whose "cannot store" case holds the room's row and expects the
// writer to give up within seconds: SQL Server's writer waits for a lock until its command timeout.

public sealed class EditDeleteTestsOnSqlServer(SqlServerChatterServer server) : ChatterWeb.Tests.Messages.EditDeleteTests(server), IClassFixture<SqlServerChatterServer>;

public sealed class HistoryPagingTestsOnSqlServer(SqlServerChatterServer server) : ChatterWeb.Tests.Messages.HistoryPagingTests(server), IClassFixture<SqlServerChatterServer>;

public sealed class PermalinkTestsOnSqlServer(SqlServerChatterServer server) : ChatterWeb.Tests.Messages.PermalinkTests(server), IClassFixture<SqlServerChatterServer>;

public sealed class PostMessageHandlerTestsOnSqlServer(SqlServerChatterServer server) : ChatterWeb.Tests.Messages.PostMessageHandlerTests(server), IClassFixture<SqlServerChatterServer>;

public sealed class GroupCommitTestsOnSqlServer(SqlServerChatterServer server) : ChatterWeb.Tests.Messages.GroupCommitTests(server), IClassFixture<SqlServerChatterServer>;

public sealed class SearchTestsOnSqlServer(SqlServerChatterServer server) : ChatterWeb.Tests.Search.SearchTests(server), IClassFixture<SqlServerChatterServer>;

public sealed class PeopleTestsOnSqlServer(SqlServerChatterServer server) : ChatterWeb.Tests.People.PeopleTests(server), IClassFixture<SqlServerChatterServer>;

public sealed class UnreadCountWindowTestsOnSqlServer(SqlServerChatterServer server) : ChatterWeb.Tests.People.UnreadCountWindowTests(server), IClassFixture<SqlServerChatterServer>;

public sealed class UnreadWindowsTestsOnSqlServer(SqlServerChatterServer server) : ChatterWeb.Tests.People.UnreadWindowsTests(server), IClassFixture<SqlServerChatterServer>;

public sealed class ClosedRoomTestsOnSqlServer(SqlServerChatterServer server) : ChatterWeb.Tests.Rooms.ClosedRoomTests(server), IClassFixture<SqlServerChatterServer>;

public sealed class RoomPageTestsOnSqlServer(SqlServerChatterServer server) : ChatterWeb.Tests.Rooms.RoomPageTests(server), IClassFixture<SqlServerChatterServer>;

public sealed class AccountTestsOnSqlServer(SqlServerChatterServer server) : ChatterWeb.Tests.Accounts.AccountTests(server), IClassFixture<SqlServerChatterServer>;

public sealed class SecurityStampTestsOnSqlServer(SqlServerChatterServer server) : ChatterWeb.Tests.Accounts.SecurityStampTests(server), IClassFixture<SqlServerChatterServer>;

public sealed class AttachmentTestsOnSqlServer(SmallUploadServerOnSqlServer server) : ChatterWeb.Tests.Attachments.AttachmentTests(server), IClassFixture<SmallUploadServerOnSqlServer>;

public sealed class SmallUploadServerOnSqlServer() : ChatterWeb.Tests.Attachments.SmallUploadServer(new SqlServerTestDatabase());

public sealed class ReactionTestsOnSqlServer(SqlServerChatterServer server) : ChatterWeb.Tests.Reactions.ReactionTests(server), IClassFixture<SqlServerChatterServer>;

public sealed class ThreadTestsOnSqlServer(SqlServerChatterServer server) : ChatterWeb.Tests.Threads.ThreadTests(server), IClassFixture<SqlServerChatterServer>;
