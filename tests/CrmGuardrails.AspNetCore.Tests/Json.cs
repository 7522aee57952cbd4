using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmGuardrails.AspNetCore.Tests;

internal static class Json
{
    /// <summary>Returns the object with one top-level property replaced by raw JSON.</summary>
    public static string Set(JsonElement root, string property, string rawJson)
    {
        var node = JsonNode.Parse(root.GetRawText())!.AsObject();
        node[property] = JsonNode.Parse(rawJson);
        return node.ToJsonString();
    }

    public static string Set(string json, string property, string rawJson)
    {
        using var document = JsonDocument.Parse(json);
        return Set(document.RootElement, property, rawJson);
    }
}
