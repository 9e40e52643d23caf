namespace InferenceServer.Responses;

/// <summary>Registers the Responses API's store and its options (validated at start).</summary>
internal static class ResponsesServices
{
    public static void AddResponses(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ResponseStoreOptions>().Bind(configuration.GetSection("Responses"))
            .Validate(o => o.MaxStoredResponses > 0, "Responses:MaxStoredResponses must be a count of 1 or more (default 1000).")
            .Validate(o => o.StoredResponseLifetimeMinutes > 0, "Responses:StoredResponseLifetimeMinutes must be 1 or more minutes (default 60).")
            .Validate(o => o.MaxStoredImageMiB >= 0, "Responses:MaxStoredImageMiB must be 0 or more MiB (default 256).")
            .ValidateOnStart();
        services.AddSingleton<ResponseStore>();
    }
}
