using InferenceServer.Contracts;
using InferenceServer.Engine.Embeddings;
using InferenceServer.Engine.Models;
using InferenceServer.Errors;

namespace InferenceServer.Embeddings;

/// <summary>Validates an embeddings request, resolves its model and tokenizes its inputs within the limits.</summary>
public sealed class EmbeddingPreparer
{
    private readonly EmbeddingModelRegistry _embeddings;
    private readonly ModelRegistry _textModels;

    public EmbeddingPreparer(EmbeddingModelRegistry embeddings, ModelRegistry textModels)
    {
        _embeddings = embeddings;
        _textModels = textModels;
    }

    internal PreparedEmbedding Prepare(EmbeddingRequest r)
    {
        if (string.IsNullOrWhiteSpace(r.Model))
        {
            throw ApiException.InvalidParameter("model", "Missing required parameter: 'model'.");
        }

        var model = Resolve(r.Model);
        var base64 = r.EncodingFormat switch
        {
            null or "float" => false,
            "base64" => true,
            _ => throw ApiException.InvalidParameter("encoding_format", $"Invalid encoding_format '{r.EncodingFormat}'; use 'float' or 'base64'."),
        };
        if (r.Dimensions is { } d && (d < 1 || d > model.Dimensions))
        {
            throw ApiException.InvalidParameter("dimensions",
                $"Invalid dimensions value {d}: {r.Model} returns {model.Dimensions} dimensions, so it must be between 1 and {model.Dimensions}.");
        }

        var sequences = EmbeddingInputReader.Read(r.Input, model);
        var tokens = 0L;
        foreach (var s in sequences)
        {
            tokens += s.Length;
        }

        if (tokens > EmbeddingLimits.MaxTotalTokens)
        {
            throw ApiException.InvalidFormat(
                $"The inputs have {tokens} tokens together; at most {EmbeddingLimits.MaxTotalTokens} tokens are allowed per request. Split them over several requests.",
                "input");
        }

        return new PreparedEmbedding(r.Model, model, sequences, base64, r.Dimensions ?? model.Dimensions, (int)tokens);
    }

    private EmbeddingModel Resolve(string name)
    {
        if (_embeddings.TryResolve(name, out var model))
        {
            return model;
        }

        var available = string.Join(", ", _embeddings.Served.Select(s => s.Name));
        if (_textModels.TryResolve(name, out _))
        {
            throw ApiException.InvalidFormat(
                $"'{name}' is a chat model; embeddings need an embedding model ({(available.Length > 0 ? available : "none is loaded")}).", "model");
        }

        throw ApiException.ModelNotFound(name);
    }
}
