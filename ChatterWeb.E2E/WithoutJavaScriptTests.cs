using System.Text.RegularExpressions;
using ChatterWeb.Data;
using ChatterWeb.Messages;
using ChatterWeb.Presence;
using ChatterWeb.Rooms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// A room in a browser without JavaScript: it opens at its newest message, "Here now" says who is
/// here or that nobody is (never an empty heading), the edit page promises no keys it does not have,
/// and a page of older messages starts right under its heading (no blank gap). With JavaScript the
/// edit page's keys do what its hint says.
/// </summary>
public sealed class WithoutJavaScriptTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    private const int Count = 40; // more than a 800 px window shows

    [Fact]
    public async Task A_room_opens_at_its_newest_message()
    {
        await using var ada = await app.SignUpAsync("Ada Plain");
        var slug = await ada.CreateRoomAsync("Plain newest");
        await PostAsync(slug, ada.Email, Count);
        var (context, page) = await WithoutScriptAsync(ada);

        await page.GotoAsync($"/rooms/{slug}");
        await Expect(page.Locator("html")).ToHaveClassAsync("no-js");
        await Expect(page.Locator($"#m-{Count}")).ToBeInViewportAsync();
        await Expect(page.Locator("#m-1")).Not.ToBeInViewportAsync();
        // The composer is still right there, under the newest message.
        await Expect(page.Locator("#body")).ToBeInViewportAsync();
        await context.CloseAsync();
    }

    [Fact]
    public async Task Here_now_says_nobody_rather_than_nothing_and_names_who_is_here()
    {
        await using var ada = await app.SignUpAsync("Ada Alone");
        var slug = await ada.CreateRoomAsync("Plain presence");
        var (context, page) = await WithoutScriptAsync(ada);
        await ada.Page.GotoAsync("/rooms"); // ada's own tab leaves: nobody has the room open

        // Once the server has seen her tab's socket close, nobody has the room open.
        var room = await RoomAsync(slug);
        var presence = app.Services.GetRequiredService<IPresence>();
        for (var deadline = DateTime.UtcNow.AddSeconds(15); (await presence.InRoomAsync(room.Id)).Count > 0; await Task.Delay(100))
            Assert.True(DateTime.UtcNow < deadline, "her socket did not leave the room within 15 s");
        await page.GotoAsync($"/rooms/{slug}");
        await Expect(page.Locator("#presence li")).ToHaveTextAsync(["Nobody here right now."]);
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "People here now" })).ToBeVisibleAsync();

        await using var grace = await app.SignUpAsync("Grace Here");
        await grace.OpenRoomAsync(slug);
        await page.ReloadAsync();
        await Expect(page.Locator("#presence li")).ToHaveTextAsync([new Regex("Grace Here$")]);
        await context.CloseAsync();
    }

    [Fact]
    public async Task The_edit_page_promises_no_keys_without_JavaScript_and_its_keys_work_with_it()
    {
        await using var ada = await app.SignUpAsync("Ada Edits");
        var slug = await ada.CreateRoomAsync("Plain edit");
        await ada.SendAsync("a message to edit");
        var (context, page) = await WithoutScriptAsync(ada);

        await page.GotoAsync($"/rooms/{slug}/messages/1/edit");
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Edit message" })).ToHaveValueAsync("a message to edit");
        await Expect(page.Locator(".edit-hint")).ToBeHiddenAsync();
        Assert.DoesNotContain("Escape", await page.Locator("main").InnerTextAsync());
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Edit message" }).FillAsync("edited without a script");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("#m-1 .body")).ToHaveTextAsync("edited without a script");
        await context.CloseAsync();

        // With JavaScript the same page says "Enter saves, Escape cancels", and both hold.
        var edit = ada.Page;
        await edit.GotoAsync($"/rooms/{slug}/messages/1/edit");
        await Expect(edit.Locator(".edit-hint")).ToHaveTextAsync("Enter saves, Escape cancels.");
        await Expect(edit.Locator(".edit-hint")).ToBeVisibleAsync();
        var box = edit.GetByRole(AriaRole.Textbox, new() { Name = "Edit message" });
        await box.FillAsync("not kept");
        await box.PressAsync("Escape");
        await Expect(edit).ToHaveURLAsync(new Regex($"/rooms/{slug}/@1$"));
        await Expect(edit.Locator("#m-1 .body")).ToHaveTextAsync("edited without a script");
        await edit.GotoAsync($"/rooms/{slug}/messages/1/edit");
        await box.FillAsync("saved by Enter");
        await box.PressAsync("Enter");
        await Expect(edit.Locator("#m-1 .body")).ToHaveTextAsync("saved by Enter");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_page_of_older_messages_starts_under_its_heading(bool javaScript)
    {
        await using var ada = await app.SignUpAsync("Ada Older " + javaScript);
        var slug = await ada.CreateRoomAsync("Plain older " + javaScript);
        await PostAsync(slug, ada.Email, 5);
        var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, StorageState = await ada.Context.StorageStateAsync(), JavaScriptEnabled = javaScript,
            ViewportSize = new() { Width = 1280, Height = 800 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/rooms/{slug}/messages?before=6");
        await Expect(page.Locator("#m-1")).ToBeVisibleAsync();

        // A few messages take a few lines: the first sits at the top of the list, the way back right under the last.
        var gaps = await page.EvaluateAsync<double[]>("""
            () => {
              const list = document.getElementById("messages"), first = list.querySelector("article"), last = list.querySelector("article:last-of-type");
              const back = document.querySelector("main > p:last-child");
              return [first.getBoundingClientRect().top - list.getBoundingClientRect().top, back.getBoundingClientRect().top - last.getBoundingClientRect().bottom];
            }
            """);
        Assert.True(gaps[0] < 24, $"{gaps[0]} px of blank above the first message");
        Assert.True(gaps[1] < 48, $"{gaps[1]} px of blank under the last message");
        await context.CloseAsync();
    }

    /// <summary>A second context with the person's cookie and JavaScript off.</summary>
    private async Task<(IBrowserContext, IPage)> WithoutScriptAsync(Person who)
    {
        var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, StorageState = await who.Context.StorageStateAsync(), JavaScriptEnabled = false,
            ViewportSize = new() { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(15_000);
        return (context, await context.NewPageAsync());
    }

    private async Task<RoomInfo> RoomAsync(string slug)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ChatterDbContext>().Rooms
            .Where(r => r.Slug == slug).Select(r => new RoomInfo(r.Id, r.Slug, r.Name, r.Kind)).SingleAsync();
    }

    /// <summary>Stores <paramref name="count"/> messages from the person straight through the writer.</summary>
    private async Task PostAsync(string slug, string email, int count)
    {
        var room = await RoomAsync(slug);
        string authorId;
        await using (var scope = app.Services.CreateAsyncScope())
            authorId = await scope.ServiceProvider.GetRequiredService<ChatterDbContext>().Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        var writer = app.Services.GetRequiredService<MessageWriter>();
        for (var i = 1; i <= count; i++)
            await writer.StoreAsync(new NewMessage(room, authorId, "Writer", $"plain message {i}", $"{slug}-plain-{i}"));
    }
}
