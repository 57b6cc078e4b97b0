using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatterWeb.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ImageThumbnails : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Animated",
                table: "Attachments",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "ThumbnailKey",
                table: "Attachments",
                type: "TEXT",
                unicode: false,
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Attachments_StorageKey",
                table: "Attachments",
                column: "StorageKey");

            migrationBuilder.CreateIndex(
                name: "IX_Attachments_ThumbnailKey",
                table: "Attachments",
                column: "ThumbnailKey");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Attachments_StorageKey",
                table: "Attachments");

            migrationBuilder.DropIndex(
                name: "IX_Attachments_ThumbnailKey",
                table: "Attachments");

            migrationBuilder.DropColumn(
                name: "Animated",
                table: "Attachments");

            migrationBuilder.DropColumn(
                name: "ThumbnailKey",
                table: "Attachments");
        }
    }
}
