using InferenceServer.Contracts;
using InferenceServer.Embeddings;
using InferenceServer.Errors;
using InferenceServer.Metrics;
using Microsoft.AspNetCore.Mvc;

namespace InferenceServer.Controllers;

/// <summary>Embeddings, OpenAI-shaped: one vector per input.</summary>
[ApiController]
[Produces("application/json")]
[Consumes("application/json")]
public sealed class EmbeddingsController : ControllerBase
{
    private readonly EmbeddingPreparer _preparer;
    private readonly WorkloadMetrics _metrics;

    public EmbeddingsController(EmbeddingPreparer preparer, WorkloadMetrics metrics)
    {
        _preparer = preparer;
        _metrics = metrics;
    }

    /// <summary>Creates an embedding vector for each input.</summary>
    [HttpPost("embeddings")]
    [HttpPost("v1/embeddings")]
    [ProducesResponseType<EmbeddingResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<EmbeddingResponse> CreateAsync([FromBody] EmbeddingRequest request, CancellationToken cancellationToken)
    {
        var prepared = _preparer.Prepare(request);
        HttpContext.Items["model"] = prepared.Name;
        using var measured = _metrics.Start(prepared.Model.Id, "embeddings");
        var vectors = await prepared.Model.EmbedAsync(prepared.Sequences, cancellationToken);
        measured.Succeeded(vectors.Length);
        var data = new List<EmbeddingItem>(vectors.Length);
        for (var i = 0; i < vectors.Length; i++)
        {
            var vector = EmbeddingEncoding.Shorten(vectors[i], prepared.Dimensions, prepared.Model.Pooling.Normalize);
            data.Add(new EmbeddingItem { Index = i, Embedding = prepared.Base64 ? EmbeddingEncoding.Base64(vector) : vector });
        }

        return new EmbeddingResponse
        {
            Data = data,
            Model = prepared.Name,
            Usage = new EmbeddingUsage { PromptTokens = prepared.Tokens, TotalTokens = prepared.Tokens },
        };
    }
}
