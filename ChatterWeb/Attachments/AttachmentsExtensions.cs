namespace ChatterWeb.Attachments;

public static class AttachmentsExtensions
{
    public static WebApplicationBuilder AddChatterAttachments(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AttachmentOptions>().BindConfiguration(AttachmentOptions.Section).ValidateDataAnnotations()
            .Validate<IWebHostEnvironment>(CanCreateFolder, "Chatter:Attachments:StoragePath: the folder cannot be created.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IAttachmentStore, DiskAttachmentStore>();
        builder.Services.AddSingleton<UploadBudget>();
        builder.Services.AddSingleton<ImageProcessor>();
        builder.Services.AddScoped<AttachmentSweeper>();
        builder.Services.AddHostedService<AttachmentSweepService>();
        return builder;
    }

    /// <summary>An unusable folder stops the app at start, not at the first upload.</summary>
    private static bool CanCreateFolder(AttachmentOptions options, IWebHostEnvironment env)
    {
        try
        {
            Directory.CreateDirectory(DiskAttachmentStore.RootOf(options, env));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    public static IEndpointRouteBuilder MapChatterAttachments(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/attachments/{id}", ServeAttachment.HandleAsync).RequireAuthorization();
        endpoints.MapGet("/attachments/{id}/thumbnail", ServeAttachment.ThumbnailAsync).RequireAuthorization();
        return endpoints;
    }
}
