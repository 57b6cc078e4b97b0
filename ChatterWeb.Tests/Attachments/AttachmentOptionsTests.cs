using ChatterWeb.Attachments;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Tests.Attachments;

/// <summary>Bad attachment settings stop the app at start with a message naming them, not at the first upload.</summary>
public class AttachmentOptionsTests
{
    private sealed class Configured(params (string Key, string Value)[] settings) : ChatterServer
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
            settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value));
    }

    [Fact]
    public void The_default_limit_is_10_MB()
    {
        Assert.Equal(10 * 1024 * 1024, new AttachmentOptions().MaxBytes);
        Assert.Equal("10 MB", AttachmentMarkup.HumanSize(new AttachmentOptions().MaxBytes));
    }

    [Theory]
    [InlineData("Chatter:Attachments:MaxBytes", "0", "MaxBytes")]
    [InlineData("Chatter:Attachments:MaxBytes", "2147483648", "MaxBytes")]
    [InlineData("Chatter:Attachments:StoragePath", "/proc/version/attachments", "StoragePath")]
    public void An_unusable_setting_stops_the_app_at_start(string key, string value, string named)
    {
        var e = Assert.ThrowsAny<Exception>(() => new Configured((key, value)));
        var validation = Assert.IsType<OptionsValidationException>(e is AggregateException a ? a.InnerException : e);
        Assert.Contains(named, validation.Message);
    }
}
