using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using Microsoft.Extensions.Options;

namespace InferenceServer.Hosting;

/// <summary>
/// Failures that stop the start for a reason the user can fix (a wrong setting, a model that does not load, a
/// provider that is missing): their message is the one sentence to print; the hosting stack is noise above Debug.
/// </summary>
public static class StartupFailure
{
    public const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private const string ConversionPrefix = "Failed to convert configuration value";

    /// <summary>The sentence for the user, or null when the exception is a fault of the server itself.</summary>
    public static string? Message(Exception e) => e switch
    {
        OptionsValidationException or ModelLoadException or ProviderUnavailableException or NativeLibraryException => e.Message,

        // The configuration binder's "Failed to convert configuration value 'yes' at 'Runtime:HugePages' to type
        // 'System.Boolean'." names the key and the value: a setting to fix, not a fault.
        InvalidOperationException { InnerException: FormatException or OverflowException or ArgumentException } convert
            when convert.Message.StartsWith(ConversionPrefix, StringComparison.Ordinal) => convert.Message,
        AggregateException { InnerExceptions.Count: > 0 } all when all.InnerExceptions.All(i => Message(i) is not null) =>
            string.Join(Environment.NewLine, all.InnerExceptions.Select(i => Message(i))),
        _ => null,
    };
}
