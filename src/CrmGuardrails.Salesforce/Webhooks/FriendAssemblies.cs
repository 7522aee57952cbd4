using System.Runtime.CompilerServices;

// The Change Data Capture subscriber (its own package, so gRPC and Avro stay out of this one) reads saved records
// through the same save reader as the Outbound Message and Flow endpoints.
[assembly: InternalsVisibleTo("CrmGuardrails.Salesforce.ChangeEvents")]
