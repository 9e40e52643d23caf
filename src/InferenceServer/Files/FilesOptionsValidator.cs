using InferenceServer.Hosting;
using Microsoft.Extensions.Options;

namespace InferenceServer.Files;

/// <summary>Start-up checks of <c>Files</c>: each failure names the key and what would be right.</summary>
internal sealed class FilesOptionsValidator : IValidateOptions<FilesOptions>
{
    private readonly IOptions<RequestLimitsOptions> _limits;

    public FilesOptionsValidator(IOptions<RequestLimitsOptions> limits) => _limits = limits;

    public ValidateOptionsResult Validate(string? name, FilesOptions options)
    {
        var failures = new List<string>();
        if (options.MaxFileBytes < 1)
        {
            failures.Add("Files:MaxFileBytes must be 1 or more (bytes in one uploaded file).");
        }

        var body = _limits.Value.MaxFilesBodyBytes;
        if (options.MaxFileBytes > body - FileUploadReader.FormOverheadBytes)
        {
            failures.Add($"Files:MaxFileBytes ({options.MaxFileBytes}) must be at most Limits:MaxFilesBodyBytes ({body}) minus "
                + $"{FileUploadReader.FormOverheadBytes} bytes for the form's other fields; raise Limits:MaxFilesBodyBytes or lower Files:MaxFileBytes.");
        }

        if (options.MaxTotalBytes < options.MaxFileBytes)
        {
            failures.Add($"Files:MaxTotalBytes ({options.MaxTotalBytes}) must be at least Files:MaxFileBytes ({options.MaxFileBytes}).");
        }

        if (options.SweepIntervalSeconds is <= 0 or > 86400 * 30)
        {
            failures.Add("Files:SweepIntervalSeconds must be more than 0 and at most 2592000 (30 days).");
        }

        if (options.Directory.Length > 0 && options.Directory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"Files:Directory '{options.Directory}' is not a valid folder path.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
