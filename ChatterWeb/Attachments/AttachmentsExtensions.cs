namespace ChatterWeb.Attachments;

public static class AttachmentsExtensions
{
    public static WebApplicationBuilder AddChatterAttachments(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AttachmentOptions>().BindConfiguration(AttachmentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IAttachmentStore, DiskAttachmentStore>();
        return builder;
    }

    public static IEndpointRouteBuilder MapChatterAttachments(this IEndpointRouteBuilder endpoints)
    {
        // Antiforgery is validated inside (after the size checks), so the endpoint opts out of the
        // automatic form check that would read the whole body first.
        endpoints.MapPost("/rooms/{slug}/attachments", UploadAttachment.HandleAsync).RequireAuthorization().DisableAntiforgery();
        endpoints.MapGet("/attachments/{id}", ServeAttachment.HandleAsync).RequireAuthorization();
        return endpoints;
    }
}
