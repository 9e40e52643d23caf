using System.Text.Json;

namespace InferenceServer.Files;

/// <summary>
/// Responses <c>input_file</c> parts that name an uploaded file: an id this key cannot see is 404 naming the part
/// (image parts, chat's and <c>input_image</c>, are read by the vision layer, which looks their files up itself).
/// </summary>
public sealed class FileReferences
{
    private readonly FileStore _store;

    public FileReferences(FileStore store) => _store = store;

    /// <summary>
    /// The Responses API's <c>input_file</c> parts with a <c>file_id</c>: one this key cannot see is a 404 naming it,
    /// before the parts are read (a file it owns then gets the unsupported-part refusal).
    /// </summary>
    public void CheckResponsesInput(JsonElement? input, HttpContext context)
    {
        if (input is not { ValueKind: JsonValueKind.Array } items)
        {
            return;
        }

        var owner = FileOwner.Of(context);
        var i = 0;
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
            {
                var j = 0;
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var type) && type.ValueEquals("input_file")
                        && part.TryGetProperty("file_id", out var id) && id.ValueKind == JsonValueKind.String && _store.Find(owner, id.GetString()!) is null)
                    {
                        throw FileErrors.NotFound(id.GetString(), $"input[{i}].content[{j}].file_id");
                    }

                    j++;
                }
            }

            i++;
        }
    }
}
