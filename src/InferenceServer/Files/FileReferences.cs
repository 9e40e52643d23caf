using InferenceServer.Contracts;
using InferenceServer.Contracts.Json;
using InferenceServer.Errors;

namespace InferenceServer.Files;

/// <summary>
/// Chat parts that name an uploaded file: an id this key cannot see is 404 naming the part; a file it owns gets the
/// same refusal as an inline image (until a model that reads images is loaded).
/// </summary>
public sealed class FileReferences
{
    private readonly FileStore _store;

    public FileReferences(FileStore store) => _store = store;

    public void Check(IReadOnlyList<ChatMessageDto>? messages, HttpContext context)
    {
        if (messages is null)
        {
            return;
        }

        var owner = FileOwner.Of(context);
        (int Message, FilePartReference Part)? first = null;
        for (var i = 0; i < messages.Count; i++)
        {
            foreach (var part in messages[i]?.Content?.FileParts ?? [])
            {
                if (_store.Find(owner, part.FileId) is null)
                {
                    throw FileErrors.NotFound(part.FileId, $"messages[{i}].content[{part.PartIndex}].{part.Field}");
                }

                first ??= (i, part);
            }
        }

        if (first is { } refused)
        {
            var param = $"messages[{refused.Message}].content";
            throw ApiException.InvalidFormat($"Invalid value for '{param}': {MessageContentConverter.UnsupportedPart(refused.Part.Type)}", param);
        }
    }
}
