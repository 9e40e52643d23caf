using System.Globalization;
using InferenceServer.Contracts.Files;
using InferenceServer.Errors;
using InferenceServer.Files;
using Microsoft.AspNetCore.Mvc;

namespace InferenceServer.Controllers;

/// <summary>DeepSeek's Files API: images uploaded once and referenced by <c>file_id</c>, kept per API key.</summary>
[ApiController]
public sealed class FilesController : ControllerBase
{
    private readonly FileStore _store;

    public FilesController(FileStore store) => _store = store;

    /// <summary>Uploads a file (multipart: <c>purpose</c>, <c>file</c>, optional <c>expires_after[anchor]</c> and <c>expires_after[seconds]</c>).</summary>
    [HttpPost("files")]
    [HttpPost("v1/files")]
    [FileUploadBody]
    [Produces("application/json")]
    [ProducesResponseType<FileObject>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status422UnprocessableEntity)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status507InsufficientStorage)]
    public async Task<FileObject> UploadAsync(CancellationToken cancellationToken) =>
        Wire(await FileUploadReader.ReadAsync(Request, _store, FileOwner.Of(HttpContext), cancellationToken));

    /// <summary>Lists this API key's files in creation order (<c>order</c> asc by default), a page at a time.</summary>
    /// <param name="after">A file id: the page starts after it (the previous page's <c>last_id</c>).</param>
    /// <param name="limit">Files per page, 1 to 1000 (default 1000).</param>
    /// <param name="order"><c>asc</c> (default) or <c>desc</c>, by creation time.</param>
    /// <param name="purpose">Only files of this purpose.</param>
    [HttpGet("files")]
    [HttpGet("v1/files")]
    [Produces("application/json")]
    [ProducesResponseType<FileList>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status422UnprocessableEntity)]
    public FileList List([FromQuery] string? after, [FromQuery] string? limit, [FromQuery] string? order, [FromQuery] string? purpose)
    {
        var take = 1000;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > 1000))
        {
            throw ApiException.InvalidParameter("limit", $"Invalid limit '{limit}': it must be a whole number between 1 and 1000.");
        }

        if (order is not (null or "asc" or "desc"))
        {
            throw ApiException.InvalidParameter("order", $"Invalid order '{order}': use 'asc' or 'desc'.");
        }

        if (purpose is not null && !FilePurposes.All.Contains(purpose))
        {
            throw ApiException.InvalidFormat($"Invalid purpose '{purpose}': use one of {string.Join(", ", FilePurposes.All)}.", "purpose");
        }

        var files = _store.List(FileOwner.Of(HttpContext), purpose, descending: order == "desc");
        var start = 0;
        if (after is not null)
        {
            var at = files.FindIndex(f => f.Id == after);
            if (at < 0)
            {
                throw FileErrors.NotFound(after, "after");
            }

            start = at + 1;
        }

        var page = files.Skip(start).Take(take).Select(Wire).ToList();
        return new FileList
        {
            Data = page,
            FirstId = page.Count > 0 ? page[0].Id : null,
            LastId = page.Count > 0 ? page[^1].Id : null,
            HasMore = start + page.Count < files.Count,
        };
    }

    /// <summary>Returns one file's metadata.</summary>
    [HttpGet("files/{file_id}")]
    [HttpGet("v1/files/{file_id}")]
    [Produces("application/json")]
    [ProducesResponseType<FileObject>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public FileObject Get([FromRoute(Name = "file_id")] string fileId) => Wire(Find(fileId));

    /// <summary>Returns the file's bytes as uploaded.</summary>
    [HttpGet("files/{file_id}/content")]
    [HttpGet("v1/files/{file_id}/content")]
    [ProducesResponseType(typeof(FileStreamResult), StatusCodes.Status200OK, "application/octet-stream")]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound, "application/json")]
    public IActionResult Download([FromRoute(Name = "file_id")] string fileId)
    {
        var file = Find(fileId);
        return File(_store.OpenRead(file), file.ContentType, enableRangeProcessing: false);
    }

    /// <summary>Deletes a file.</summary>
    [HttpDelete("files/{file_id}")]
    [HttpDelete("v1/files/{file_id}")]
    [Produces("application/json")]
    [ProducesResponseType<FileDeleted>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status507InsufficientStorage)]
    public FileDeleted Delete([FromRoute(Name = "file_id")] string fileId) =>
        _store.Delete(FileOwner.Of(HttpContext), fileId) ? new FileDeleted { Id = fileId } : throw FileErrors.NotFound(fileId, "file_id");

    private StoredFile Find([FromRoute(Name = "file_id")] string fileId) => _store.Find(FileOwner.Of(HttpContext), fileId) ?? throw FileErrors.NotFound(fileId, "file_id");

    private static FileObject Wire(StoredFile file) => new()
    {
        Id = file.Id,
        Bytes = file.Bytes,
        CreatedAt = file.CreatedAtMs / 1000,
        ExpiresAt = file.ExpiresAtMs / 1000,
        Filename = file.Filename,
        Purpose = file.Purpose,
    };
}
