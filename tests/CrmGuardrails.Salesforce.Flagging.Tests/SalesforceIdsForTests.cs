namespace CrmGuardrails.Salesforce.Flagging.Tests;

/// <summary>The ids of Fixtures/org-salesforce.json and of the calls the tests send.</summary>
internal static class Ids
{
    public const string Org = "00D5g000004ABCDEAA";
    public const string OtherOrg = "00D5g000009ZZZZEAA";
    public const string Maria = "0055g00000MARIA001";
    public const string Jon = "0055g00000JONBE001";
    public const string Ade = "0055g00000ADEBE001";
    public const string Integration = "0055g00000INTEG001";
    public const string Contoso = "0015g00000CONTO001";
    public const string Litware = "0015g00000LITWA001";
    public const string Omar = "00Q5g00000OMARH001";
    public const string Discovery = "00U5g00000DISCO001";
    public const string Action = "04k5g0000008Q1hQAE";
}
