// The library an application imports: `import BertSent` brings every layer a program that loads a
// model, classifies texts or fine-tunes one needs, without the HTTP server (product BertSentServer).
@_exported import BertSentCore
@_exported import BertSentData
@_exported import BertSentFormats
@_exported import BertSentHub
@_exported import BertSentInference
@_exported import BertSentModel
@_exported import BertSentReport
@_exported import BertSentText
@_exported import BertSentTraining
