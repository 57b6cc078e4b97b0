using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data;

/// <summary>
/// The model, shared by both providers. Each provider has its own subclass so that each has its
/// own migrations folder (Data/Migrations/Sqlite, Data/Migrations/SqlServer).
/// </summary>
public abstract class ChatterDbContext(DbContextOptions options) : IdentityDbContext<ChatUser>(options)
{
    public DbSet<Room> Rooms => Set<Room>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<SignInSession> SignInSessions => Set<SignInSession>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<IncomingWebhook> IncomingWebhooks => Set<IncomingWebhook>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<MessageVersion> MessageVersions => Set<MessageVersion>();
    public DbSet<Bot> Bots => Set<Bot>();
    public DbSet<BotDelivery> BotDeliveries => Set<BotDelivery>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<ChatUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(ChatUser.DisplayNameMaxLength).IsRequired();
            user.Property(u => u.Avatar).HasMaxLength(ChatUser.AvatarMaxLength);
        });

        builder.Entity<Room>(room =>
        {
            room.Property(r => r.Slug).HasMaxLength(Room.SlugMaxLength).IsRequired();
            room.Property(r => r.Name).HasMaxLength(Room.NameMaxLength).IsRequired();
            room.Property(r => r.CreatedById).HasMaxLength(450);
            room.HasIndex(r => r.Slug).IsUnique();
            room.HasOne<ChatUser>().WithMany().HasForeignKey(r => r.CreatedById).OnDelete(DeleteBehavior.SetNull);
        });

        builder.Entity<Membership>(m =>
        {
            m.HasKey(x => new { x.RoomId, x.UserId });
            m.HasIndex(x => x.UserId);
            m.HasOne<Room>().WithMany().HasForeignKey(x => x.RoomId).OnDelete(DeleteBehavior.Cascade);
            m.HasOne<ChatUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Message>(m =>
        {
            m.Property(x => x.Body).HasMaxLength(Message.BodyMaxLength).IsRequired();
            m.Property(x => x.ClientMessageId).HasMaxLength(Message.ClientMessageIdMaxLength).IsRequired();
            // Seq is the cursor for paging and catch-up; this index serves both as a seek.
            m.HasIndex(x => new { x.RoomId, x.Seq }).IsUnique();
            // A resent frame (retry, reconnect queue) is stored once.
            m.HasIndex(x => new { x.AuthorId, x.ClientMessageId }).IsUnique();
            // Resume replays edits and deletes after the client's last seen change: a seek on this.
            m.HasIndex(x => new { x.RoomId, x.ChangeSeq });
            // A thread's replies, and the summary counted from them.
            m.HasIndex(x => new { x.RoomId, x.ParentSeq });
            // A room's pins, newest first, and their count: a seek on this.
            m.Property(x => x.PinnedById).HasMaxLength(450);
            m.HasIndex(x => new { x.RoomId, x.PinnedAt });
            m.HasOne<Room>().WithMany().HasForeignKey(x => x.RoomId).OnDelete(DeleteBehavior.Cascade);
            m.HasOne(x => x.Author).WithMany().HasForeignKey(x => x.AuthorId).OnDelete(DeleteBehavior.Restrict);
        });

        Attachment.Configure(builder);
        SignInSession.Configure(builder);
        AuditEntry.Configure(builder);
        IncomingWebhook.Configure(builder);
        ApiToken.Configure(builder);
        MessageVersion.Configure(builder);
        Bot.Configure(builder);
        BotDelivery.Configure(builder);
    }
}
