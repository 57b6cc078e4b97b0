using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatterWeb.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class EditAndDelete : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LastChangeSeq",
                table: "Rooms",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "ChangeSeq",
                table: "Messages",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_Messages_RoomId_ChangeSeq",
                table: "Messages",
                columns: new[] { "RoomId", "ChangeSeq" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Messages_RoomId_ChangeSeq",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "LastChangeSeq",
                table: "Rooms");

            migrationBuilder.DropColumn(
                name: "ChangeSeq",
                table: "Messages");
        }
    }
}
