using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CrmGuardrails.Dataverse.Emulator;

/// <summary>Writing: create (<c>POST</c>), update and upsert (<c>PATCH</c>, by id or alternate key), delete.</summary>
public sealed partial class DataverseEmulator
{
    private const string DuplicateKeyMessage = "A record with matching key values already exists.";

    private EmulatorHttpResponse Write(EmulatorHttpRequest request, EmulatorTable table, RowKey? key)
    {
        var isPatch = key is not null;

        // activitypointer rows come from the activity tables; an intersect table is written through its relationship. Assumed
        // error shape, after the documented "The 'Retrieve' method does not support entities of type 'activityparty'" (fake-xrm-easy#332).
        if (table.LogicalName is "activitypointer" or "teammembership")
            throw new EmulatorException(400, "0x80040800", $"The '{(isPatch ? "Update" : "Create")}' method does not support entities of type '{table.LogicalName}'.");

        var body = JsonNode.Parse(string.IsNullOrWhiteSpace(request.Body) ? "null" : request.Body) as JsonObject
            ?? throw new EmulatorException(400, "0x80048d19", $"Error identified in Payload provided by the user for Entity :'{table.LogicalName}': the body must be a JSON object.");

        lock (Store.Gate)
        {
            var existing = key is null ? null : FindForWriteLocked(table, key);
            if (isPatch)
                CheckPreconditions(request, table, key!, existing);

            var creating = existing is null;
            var (changes, parties) = ReadBody(table, body, creating, isPatch);
            string id;
            if (key?.Id is { } keyId)
            {
                id = keyId;
            }
            else if (key?.AlternateKey is { } alternateKey)
            {
                foreach (var column in alternateKey.Columns.Select(c => table.Column(c)!))
                {
                    // "If the record exists: The server removes the data set in the body of the request for those alternate key values
                    // in the URL ... If the record doesn't exist: The server uses any alternate key values set in the body of the request
                    // to create the new record, even if the data is different than the values specified by the alternate keys in the URL."
                    // (P: use-upsert-insert-update-record.md, ms.date 03/09/2026, facts file §8)
                    if (!creating)
                        changes.Remove(column.PropertyName);
                    else if (!changes.ContainsKey(column.PropertyName))
                        changes[column.PropertyName] = ConvertValue(table, column, JsonValue.Create(key.Values![column.LogicalName]));
                }

                id = existing?.Id ?? Guid.NewGuid().ToString("D");
            }
            else
            {
                id = changes[table.PrimaryKey]?.GetValue<string>() ?? Guid.NewGuid().ToString("D");
                if (Store.FindLocked(table.EntitySet, id) is not null || (table.IsActivity && Store.FindLocked("activitypointers", id) is not null))
                {
                    // Assumed code (DuplicateRecord, "Cannot insert duplicate key."); the message is the documented 412 text of
                    // P: webapi/perform-conditional-operations-using-web-api.md.
                    throw new EmulatorException(412, "0x80040237", DuplicateKeyMessage);
                }
            }

            changes[table.PrimaryKey] = id;
            SetSystemColumns(table, changes, existing);
            CheckAlternateKeys(table, changes, existing, id);
            var stored = Store.UpsertLocked(table.EntitySet, changes, copy: false);
            if (table.IsActivity)
                MirrorPointerLocked(table, stored);
            if (parties is not null)
                WritePartiesLocked(id, parties, replace: !creating);

            var response = new EmulatorHttpResponse { Status = 204 };
            response.Headers["OData-Version"] = "4.0";
            if (request.Header("Prefer") is { } prefer && prefer.Contains("return=representation", StringComparison.OrdinalIgnoreCase))
            {
                // "If you include a Prefer: return=representation request header, the system returns a 201 Created status for Create,
                // and a 200 OK status for Update." (P: use-upsert-insert-update-record.md)
                var select = ParseSelect(table, request.Option("$select"));
                response = Json(creating ? 201 : 200, w => WriteRow(w, table, stored.Data, select, [], new Annotations(prefer), $"{WebApiRoot}$metadata#{table.EntitySet}/$entity"));
            }

            // Upsert by alternate key: "OData-EntityId: .../example_records(example_key1=2,example_key2=2)" (P: use-upsert-insert-update-record.md).
            response.Headers["OData-EntityId"] = key?.AlternateKey is not null ? $"{WebApiRoot}{table.EntitySet}({key.Text})" : $"{WebApiRoot}{table.EntitySet}({id})";
            return response;
        }
    }

    private EmulatorHttpResponse Delete(EmulatorHttpRequest request, EmulatorTable table, RowKey key)
    {
        lock (Store.Gate)
        {
            var row = FindForWriteLocked(table, key) ?? throw NotFound(table, key);
            CheckETag(request.Header("If-Match"), row);
            Store.DeleteLocked(table.EntitySet, row.Id);
            if (table.IsActivity)
            {
                // An activity is one row in its table and one in activitypointers, with its parties.
                var typeCode = row.Data["activitytypecode"]?.GetValue<string>();
                if (table.LogicalName == "activitypointer")
                {
                    if (typeCode is not null && Schema.Table(typeCode) is { } specific)
                        Store.DeleteLocked(specific.EntitySet, row.Id);
                }
                else
                {
                    Store.DeleteLocked("activitypointers", row.Id);
                }

                foreach (var party in Store.LookupLocked("activityparties", "_activityid_value", row.Id).ToList())
                    Store.DeleteLocked("activityparties", party.Id);
            }

            var response = new EmulatorHttpResponse { Status = 204 };
            response.Headers["OData-Version"] = "4.0";
            return response;
        }
    }

    /// <summary>The row a write addresses; an activity seeded only as an <c>activitypointer</c> is materialised in its own table.</summary>
    private StoredRow? FindForWriteLocked(EmulatorTable table, RowKey key)
    {
        if (FindLocked(table, key) is { } row)
            return row;
        if (!table.IsActivity || table.LogicalName == "activitypointer" || key.Id is null ||
            Store.FindLocked("activitypointers", key.Id) is not { } pointer || pointer.Data["activitytypecode"]?.GetValue<string>() != table.LogicalName)
        {
            return null;
        }

        var copy = new JsonObject();
        foreach (var (name, value) in pointer.Data)
        {
            if (name != "@odata.etag" && (table.Property(name) is not null || name.Contains(EmulatorStore.LookupLogicalName, StringComparison.Ordinal)))
                copy[name] = value?.DeepClone();
        }

        return Store.UpsertLocked(table.EntitySet, copy, copy: false);
    }

    /// <summary>
    /// "If you include the If-Match: * request header and no resource matches the key values in the URL, the request returns a 404 Not
    /// Found status code." / "you can also include the If-None-Match: * request header to block an Update if you only want to create
    /// records." (P: use-upsert-insert-update-record.md); If-None-Match: * on an existing row → "HTTP/1.1 412 Precondition Failed ...
    /// A record with matching key values already exists." (P: webapi/perform-conditional-operations-using-web-api.md).
    /// </summary>
    private static void CheckPreconditions(EmulatorHttpRequest request, EmulatorTable table, RowKey key, StoredRow? existing)
    {
        var ifMatch = request.Header("If-Match");
        if (ifMatch is not null && existing is null)
            throw NotFound(table, key);
        if (existing is not null)
            CheckETag(ifMatch, existing);
        if (request.Header("If-None-Match") == "*" && existing is not null)
            throw new EmulatorException(412, "0x80040237", DuplicateKeyMessage);
    }

    /// <summary>
    /// Optimistic concurrency: "412 Precondition Failed ... The version of the existing record doesn't match the RowVersion property
    /// provided." (P: webapi/perform-conditional-operations-using-web-api.md); 0x80060882 ConcurrencyVersionMismatch (docs/platform/dataverse.md §3.1).
    /// </summary>
    private static void CheckETag(string? ifMatch, StoredRow row)
    {
        if (ifMatch is null || ifMatch == "*")
            return;
        if (ifMatch != row.Data["@odata.etag"]?.GetValue<string>())
            throw new EmulatorException(412, "0x80060882", "The version of the existing record doesn't match the RowVersion property provided.");
    }

    /// <summary>Checks and converts a write body: columns, lookups bound with <c>@odata.bind</c>, and an activity's party list.</summary>
    private (JsonObject Changes, List<JsonObject>? Parties) ReadBody(EmulatorTable table, JsonObject body, bool creating, bool isPatch)
    {
        var changes = new JsonObject();
        List<JsonObject>? parties = null;
        foreach (var (name, value) in body)
        {
            if (name.StartsWith('@'))
                continue; // @odata.type, @odata.etag: annotations of the entity itself.

            var at = name.IndexOf('@', StringComparison.Ordinal);
            if (at > 0)
            {
                if (name.Substring(at + 1) == "odata.bind")
                    Bind(table, name.Substring(0, at), value, creating, changes);
                continue; // instance annotations (formatted values read back) are not data.
            }

            if (table.IsActivity && name == table.LogicalName + "_activity_parties")
            {
                // Deep insert of the party list: "<activity>_activity_parties collections (e.g. phonecall_activity_parties) with
                // partyid_contact@odata.bind + participationtypemask" (docs/platform/dataverse.md §3.3).
                if (value is not JsonArray list)
                    throw CannotConvert(table, name, value, "Collection(Microsoft.Dynamics.CRM.activityparty)");
                var partyTable = Schema.Table("activityparty")!;
                parties = list.Select(p => p as JsonObject ?? throw CannotConvert(partyTable, name, p, "Microsoft.Dynamics.CRM.activityparty"))
                    .Select(p => ReadBody(partyTable, p, creating: true, isPatch: false).Changes)
                    .ToList();
                continue;
            }

            if (Schema.CollectionNavigation(table, name) is not null)
                throw new EmulatorException(400, EmulatorErrors.QueryCode, $"The emulator does not support a deep insert through '{name}'.");

            var column = table.Property(name)
                ?? throw new EmulatorException(400, EmulatorErrors.QueryCode,

                    // "The property 'subjct' does not exist on type 'Microsoft.Dynamics.CRM.task'. Make sure to only use property names that
                    // are defined by the type." — a captured Dataverse $batch answer (XRM-OSS/Xrm-WebApi-Client spec, find_string id 1374834021)
                    // and a live 400 ("The property 'sprk_invoicename' does not exist on type 'Microsoft.Dynamics.CRM.sprk_invoice'").
                    $"The property '{name}' does not exist on type '{table.TypeName}'. Make sure to only use property names that are defined by the type.");
            if (column.Type == EmulatorColumnType.Lookup)
            {
                // "Including a _*_value property in a create/update payload causes: CRM do not support direct update of Entity Reference
                // properties, Use Navigation properties instead (error 0x80060888)." (community, several live reports; find_string "do not
                // support direct update of Entity Reference").
                throw new EmulatorException(400, EmulatorErrors.QueryCode, "CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.");
            }

            CheckWritable(table, column, creating, isPatch);
            changes[name] = ConvertValue(table, column, value);
        }

        return (changes, parties);
    }

    /// <summary>
    /// Columns a create or update may not set. The flags are documented (IsValidForCreate/IsValidForUpdate in the table references;
    /// "Columns with IsValidForUpdate=False (e.g. activityid, importsequencenumber, overriddencreatedon)" — facts file §5); the answer is
    /// ASSUMED: Microsoft does not document it ("Treat as: may be silently ignored — don't rely on an error. (Unverified against a live
    /// org.)" — facts file §5). The emulator refuses them with 400, so the product never relies on a value being dropped silently.
    /// </summary>
    private static void CheckWritable(EmulatorTable table, EmulatorColumn column, bool creating, bool isPatch)
    {
        if (column.LogicalName == table.PrimaryKey)
        {
            if (!isPatch)
                return;
            throw new EmulatorException(400, "0x80040203",
                $"The '{column.LogicalName}' attribute of the '{table.LogicalName}' entity is not valid for update: a PATCH names the record in its URL, not in its body.");
        }

        if (creating ? column.ValidForCreate : column.ValidForUpdate)
            return;
        var hint = column.LogicalName == "createdon" && table.Column("overriddencreatedon") is not null && creating
            ? " Set overriddencreatedon to give a record its creation date."
            : string.Empty;
        throw new EmulatorException(400, "0x80040203",
            $"The '{column.LogicalName}' attribute of the '{table.LogicalName}' entity is not valid for {(creating ? "create" : "update")} (IsValidFor{(creating ? "Create" : "Update")} = False).{hint}");
    }

    /// <summary>Reads <c>nav@odata.bind: "/set(id)"</c> into the lookup column and its target's logical name.</summary>
    private void Bind(EmulatorTable table, string navigationName, JsonNode? value, bool creating, JsonObject changes)
    {
        // "An undeclared property 'x' which only has property annotations in the payload but no property value was found in the payload."
        // is the OData answer to a binding of a navigation property the type does not declare (community reports; assumed text).
        var navigation = table.Navigation(navigationName)
            ?? throw new EmulatorException(400, EmulatorErrors.QueryCode,
                $"An undeclared property '{navigationName}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.");
        var column = navigation.Column;
        if (!(creating ? column.ValidForCreate : column.ValidForUpdate))
            CheckWritable(table, column, creating, isPatch: false);
        var property = column.PropertyName;
        if (value is null)
        {
            changes[property] = null;
            changes[property + EmulatorStore.LookupLogicalName] = null;
            return;
        }

        var reference = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw CannotConvert(table, navigationName + "@odata.bind", value, "Edm.String");
        var match = Regex.Match(reference, @"(?:^|/)([A-Za-z_][A-Za-z0-9_]*)\(([^()]+)\)$");
        if (!match.Success)
            throw new EmulatorException(400, EmulatorErrors.QueryCode, $"The @odata.bind value '{reference}' of '{navigationName}' is not a URL of an entity (\"/<entity set>(<id>)\").");
        var target = Schema.TableForSet(match.Groups[1].Value)
            ?? throw new EmulatorException(400, EmulatorErrors.QueryCode, $"Resource not found for the segment '{match.Groups[1].Value}'.");
        if (!navigation.Targets.Contains(target.LogicalName))
        {
            throw new EmulatorException(400, EmulatorErrors.QueryCode,
                $"The navigation property '{navigationName}' of '{table.TypeName}' points at {string.Join(" or ", navigation.Targets.Select(t => "'Microsoft.Dynamics.CRM." + t + "'"))}, not at '{target.TypeName}'.");
        }

        // Assumed: binding a record that does not exist is refused like any reference to it (ObjectDoesNotExist, 404).
        var key = RowKey.Parse(target, match.Groups[2].Value);
        var row = FindLocked(target, key) ?? throw NotFound(target, key);
        changes[property] = row.Id;
        changes[property + EmulatorStore.LookupLogicalName] = target.LogicalName;
    }

    /// <summary>Checks a value against its column's type and length and stores it in the form Dataverse returns it.</summary>
    private static JsonNode? ConvertValue(EmulatorTable table, EmulatorColumn column, JsonNode? value)
    {
        if (value is null)
            return null;
        if (value is not JsonValue v)
            throw CannotConvert(table, column.LogicalName, value, column.EdmType);
        var kind = v.GetValueKind();
        switch (column.Type)
        {
            case EmulatorColumnType.String or EmulatorColumnType.Memo or EmulatorColumnType.EntityName when kind == JsonValueKind.String:
                var text = v.GetValue<string>();
                if (column.MaxLength is { } max && text.Length > max)
                {
                    // "A validation error occurred.  The length of the 'subject' attribute of the 'task' entity exceeded the maximum
                    // allowed length of '200'." with code 0x80044331 (P: execute-batch-operations-using-web-api.md, facts file §4).
                    throw new EmulatorException(400, "0x80044331",
                        $"A validation error occurred.  The length of the '{column.LogicalName}' attribute of the '{table.LogicalName}' entity exceeded the maximum allowed length of '{max}'.");
                }

                return JsonValue.Create(text);
            case EmulatorColumnType.Integer or EmulatorColumnType.Choice when kind == JsonValueKind.Number && v.TryGetValue<int>(out var i):
                return JsonValue.Create(i);
            case EmulatorColumnType.BigInt when kind == JsonValueKind.Number && v.TryGetValue<long>(out var l):
                return JsonValue.Create(l);
            case EmulatorColumnType.Decimal when kind == JsonValueKind.Number && v.TryGetValue<decimal>(out var m):
                return JsonValue.Create(m);
            case EmulatorColumnType.Double when kind == JsonValueKind.Number && v.TryGetValue<double>(out var d):
                return JsonValue.Create(d);
            case EmulatorColumnType.Boolean when kind is JsonValueKind.True or JsonValueKind.False:
                return JsonValue.Create(kind == JsonValueKind.True);
            case EmulatorColumnType.DateTime when kind == JsonValueKind.String &&
                DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date):
                return JsonValue.Create(Now(date));
            case EmulatorColumnType.Guid when kind == JsonValueKind.String && Guid.TryParse(v.GetValue<string>(), out var guid):
                return JsonValue.Create(guid.ToString("D"));
            default:
                throw CannotConvert(table, column.LogicalName, value, column.EdmType);
        }
    }

    /// <summary>
    /// Assumed text after community reports of the payload error: "Error identified in Payload provided by the user for Entity ...
    /// Cannot convert the literal '12' to the expected type 'Edm.Int32'." (code 0x80048d19).
    /// </summary>
    private static EmulatorException CannotConvert(EmulatorTable table, string name, JsonNode? value, string edmType) =>
        new(400, "0x80048d19",
            $"Error identified in Payload provided by the user for Entity :'{table.LogicalName}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ----> InnerException : Microsoft.OData.ODataException: Cannot convert the literal '{value?.ToJsonString()}' to the expected type '{edmType}' (property '{name}').");

    /// <summary>
    /// What Dataverse sets itself: <c>createdon</c> (from <c>overriddencreatedon</c> when given), <c>modifiedon</c>, <c>statecode</c> 0
    /// (active/open) and the default <c>statuscode</c> of that state, and a person's <c>fullname</c>.
    /// </summary>
    private void SetSystemColumns(EmulatorTable table, JsonObject changes, StoredRow? existing)
    {
        var now = Now(Time.GetUtcNow());
        if (table.Column("modifiedon") is not null)
            changes["modifiedon"] = now;
        if (existing is null)
        {
            if (table.Column("createdon") is not null)
                changes["createdon"] = changes["overriddencreatedon"]?.DeepClone() ?? now;
            if (table.Column("statecode") is not null && changes["statecode"] is null)
                changes["statecode"] = 0;

            // Default status of the open state: task 2 Not Started; the others 1 (docs/platform/dataverse.md §5.3 table).
            if (table.Column("statuscode") is not null && changes["statuscode"] is null && changes["statecode"]?.GetValue<int>() == 0)
                changes["statuscode"] = table.LogicalName == "task" ? 2 : 1;
        }

        if (table.Column("fullname") is { ValidForCreate: false } && (existing is null || changes.ContainsKey("firstname") || changes.ContainsKey("lastname")))
        {
            string? Part(string name) => changes.ContainsKey(name) ? changes[name]?.GetValue<string>() : existing?.Data[name]?.GetValue<string>();
            var fullName = $"{Part("firstname")} {Part("lastname")}".Trim();
            changes["fullname"] = fullName.Length > 0 ? fullName : null;
        }
    }

    /// <summary>
    /// An alternate key is unique: a create or update that would give a second row the same key values is refused with 412 and
    /// 0x80060892 (community live tests: "the alternate key on hsv_providermessageid rejects a duplicate POST outright (HTTP 412,
    /// error.code=0x80060892)", find_string id 71087221022) and the documented text "A record with matching key values already exists."
    /// (P: webapi/perform-conditional-operations-using-web-api.md).
    /// </summary>
    private void CheckAlternateKeys(EmulatorTable table, JsonObject changes, StoredRow? existing, string id)
    {
        foreach (var key in table.AlternateKeys)
        {
            var properties = key.Columns.Select(c => table.Column(c)!.PropertyName).ToList();
            var values = properties.Select(p => EmulatorStore.IndexKey(changes.ContainsKey(p) ? changes[p] : existing?.Data[p])).ToList();

            // Assumed: a key with an empty column is not checked (SQL unique indexes of Dataverse keys ignore nulls).
            if (values.Any(v => v is null))
                continue;
            foreach (var other in Store.LookupLocked(table.EntitySet, properties[0], values[0]!))
            {
                if (other.Id != id && properties.Select((p, i) => string.Equals(EmulatorStore.IndexKey(other.Data[p]), values[i], StringComparison.OrdinalIgnoreCase)).All(same => same))
                    throw new EmulatorException(412, "0x80060892", DuplicateKeyMessage);
            }
        }
    }

    /// <summary>"Every activity row has an activitypointer row with the same activityid" (docs/platform/dataverse.md §5.3).</summary>
    private void MirrorPointerLocked(EmulatorTable table, StoredRow stored)
    {
        if (table.LogicalName == "activitypointer")
            return;
        var pointerTable = Schema.Table("activitypointer")!;
        var pointer = new JsonObject();
        foreach (var (name, value) in stored.Data)
        {
            if (name == "@odata.etag")
                continue;
            var at = name.IndexOf('@', StringComparison.Ordinal);
            if (pointerTable.Property(at < 0 ? name : name.Substring(0, at)) is not null)
                pointer[name] = value?.DeepClone();
        }

        pointer["activitytypecode"] = table.LogicalName;
        Store.UpsertLocked("activitypointers", pointer, copy: false);
    }

    private void WritePartiesLocked(string activityId, List<JsonObject> parties, bool replace)
    {
        if (replace)
        {
            foreach (var party in Store.LookupLocked("activityparties", "_activityid_value", activityId).ToList())
                Store.DeleteLocked("activityparties", party.Id);
        }

        foreach (var party in parties)
        {
            party["_activityid_value"] = activityId;
            party["_activityid_value" + EmulatorStore.LookupLogicalName] = "activitypointer";
            Store.UpsertLocked("activityparties", party, copy: false);
        }
    }
}
