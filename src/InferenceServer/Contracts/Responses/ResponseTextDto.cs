namespace InferenceServer.Contracts.Responses;

public sealed class ResponseTextDto
{
    public ResponseTextFormatDto? Format { get; set; }
}
