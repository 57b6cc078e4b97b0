using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>Signing out from the top bar and back in (the top bar's form must carry its antiforgery token).</summary>
public sealed class AccountTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    [Fact]
    public async Task Sign_out_from_a_room_and_sign_back_in()
    {
        await using var ada = await app.SignUpAsync("Ada");
        await ada.OpenRoomAsync("general");

        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(ada.Page).ToHaveURLAsync(new Regex("/Account/Login$"));
        await ada.Page.GotoAsync("/rooms/general");
        await Expect(ada.Page).ToHaveURLAsync(new Regex("/Account/Login\\?ReturnUrl=%2Frooms%2Fgeneral$", RegexOptions.IgnoreCase));

        await ada.Page.Locator("[name='Input.Email']").FillAsync(ada.Email);
        await ada.Page.Locator("[name='Input.Password']").FillAsync(Person.Password);
        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(ada.Page).ToHaveURLAsync(new Regex("/rooms/general$"));
        await ada.WaitUntilConnectedAsync();
    }
}
