using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatterWeb.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Conversations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AlsoInRoom",
                table: "Messages",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "ParentSeq",
                table: "Messages",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Reactions",
                table: "Messages",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ThreadPeople",
                table: "Messages",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ThreadSummary",
                table: "Messages",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Messages_RoomId_ParentSeq",
                table: "Messages",
                columns: new[] { "RoomId", "ParentSeq" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Messages_RoomId_ParentSeq",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "AlsoInRoom",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "ParentSeq",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "Reactions",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "ThreadPeople",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "ThreadSummary",
                table: "Messages");
        }
    }
}
