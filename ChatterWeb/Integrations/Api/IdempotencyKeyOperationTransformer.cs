using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ChatterWeb.Integrations.Api;

/// <summary>The OpenAPI document names the <c>Idempotency-Key</c> header the post reads by hand.</summary>
public sealed class IdempotencyKeyOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().Any(n => n.EndpointName == ApiEndpoints.PostMessageName))
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "Idempotency-Key",
                In = ParameterLocation.Header,
                Required = false,
                Description = "Printable ASCII, at most 255 characters. The same key again (by the same account) stores nothing new and answers the same 201.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IncomingWebhookEndpoint.IdempotencyKeyMaxLength },
            });
        }
        return Task.CompletedTask;
    }
}
