using Microsoft.Extensions.Options;

namespace InferenceServer.Playground;

/// <summary>
/// Reads <c>Playground:Enabled</c> by hand: the configuration binder would throw a bare conversion error for
/// <c>Enabled=yes</c>; this way the start fails with the sentence saying which key is wrong and what would be right.
/// </summary>
internal sealed class PlaygroundOptionsSetup(IConfiguration configuration) : IConfigureOptions<PlaygroundOptions>, IValidateOptions<PlaygroundOptions>
{
    public const string Key = "Playground:Enabled";

    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<PlaygroundOptionsSetup>();
        services.AddSingleton<IConfigureOptions<PlaygroundOptions>>(sp => sp.GetRequiredService<PlaygroundOptionsSetup>());
        services.AddSingleton<IValidateOptions<PlaygroundOptions>>(sp => sp.GetRequiredService<PlaygroundOptionsSetup>());
        services.AddOptions<PlaygroundOptions>().ValidateOnStart();
    }

    public void Configure(PlaygroundOptions options)
    {
        var raw = configuration[Key];
        if (raw is null)
        {
            return;
        }

        if (bool.TryParse(raw, out var enabled))
        {
            options.Enabled = enabled;
        }
        else
        {
            options.UnparsedEnabled = raw;
        }
    }

    public ValidateOptionsResult Validate(string? name, PlaygroundOptions options) =>
        options.UnparsedEnabled is { } raw
            ? ValidateOptionsResult.Fail($"{Key} is '{raw}'; it must be true or false (false turns the web page at / and /playground off).")
            : ValidateOptionsResult.Success;
}
