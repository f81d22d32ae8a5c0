import BertSentCore

/// `GET /openapi.json`: the OpenAPI 3.0 description of every route, its bodies and its errors, with the
/// server's own limits.
enum OpenAPIDocument {
    static func json(_ configuration: ServerConfiguration) -> String {
        """
        {
          "openapi": "3.0.3",
          "info": {
            "title": "bertsent",
            "description": "Sentiment classification with a fine-tuned BERT model; the API of Hugging Face text-embeddings-inference's /predict.",
            "version": "\(BertSentVersion.current)"
          },
          "paths": {
            "/": {
              "get": {
                "summary": "A page to try the model in a browser; it calls /predict and /info, with the API key it asks for.",
                "operationId": "page",
                "responses": {
                  "200": {"description": "One self-contained HTML page.", "content": {"text/html": {"schema": {"type": "string"}}}}
                }
              },
              "post": \(predictOperation(
                id: "predictAtRoot", summary: "The same as POST /predict, where text-embeddings-inference answers it too."))
            },
            "/predict": {
              "post": \(predictOperation(id: "predict", summary: "Classify a text, a pair of texts, or a batch of them."))
            },
            "/health": {
              "get": {
                "summary": "200 once the model is loaded, 503 before.",
                "operationId": "health",
                "responses": {
                  "200": {"description": "Ready.", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string"}}}}}},
                  "503": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/info": {
              "get": {
                "summary": "The model and the server's limits.",
                "operationId": "info",
                "security": [{"bearer": []}, {}],
                "responses": {
                  "200": {"description": "Model and limits.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Info"}}}},
                  "401": {"$ref": "#/components/responses/Error"},
                  "503": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/metrics": {
              "get": {
                "summary": "Prometheus metrics: requests by route and status, latency, batch sizes, queue and inference time, tokens.",
                "operationId": "metrics",
                "security": [{"bearer": []}, {}],
                "responses": {
                  "200": {"description": "Prometheus text exposition format 0.0.4.", "content": {"text/plain": {"schema": {"type": "string"}}}},
                  "401": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/openapi.json": {
              "get": {
                "summary": "This document.",
                "operationId": "openapi",
                "security": [{"bearer": []}, {}],
                "responses": {
                  "200": {"description": "OpenAPI 3.0 document.", "content": {"application/json": {"schema": {"type": "object"}}}},
                  "401": {"$ref": "#/components/responses/Error"}
                }
              }
            }
          },
          "components": {
            "securitySchemes": {
              "bearer": {"type": "http", "scheme": "bearer", "description": "Needed when the server runs with --api-key."}
            },
            "responses": {
              "Error": {
                "description": "An error.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              }
            },
            "schemas": {
              "Text": {
                "type": "string", "minLength": 1, "pattern": "\\\\S",
                "description": "Not blank. Prepared as the model's training texts were: cleaned (HTML, control characters) unless it was trained on texts as written."
              },
              "Sequence": {
                "oneOf": [
                  {"$ref": "#/components/schemas/Text"},
                  {"type": "array", "items": {"$ref": "#/components/schemas/Text"}, "minItems": 1, "maxItems": 2, "description": "A text, or a pair of texts."}
                ]
              },
              "PredictRequest": {
                "type": "object",
                "required": ["inputs"],
                "properties": {
                  "inputs": {
                    "description": "A text, a pair (a flat list of exactly two texts), or a batch; a batch is answered with a list per input.",
                    "anyOf": [
                      {"$ref": "#/components/schemas/Sequence"},
                      {"type": "array", "items": {"$ref": "#/components/schemas/Sequence"}, "minItems": 1,
                       "maxItems": \(configuration.maxInputsPerRequest), "description": "A batch."}
                    ]
                  },
                  "raw_scores": {"type": "boolean", "nullable": true, "default": false, "description": "Logits instead of probabilities."},
                  "truncate": {"type": "boolean", "nullable": true, "default": false, "description": "Cut inputs longer than max_input_length instead of refusing them (422)."},
                  "truncation_direction": {"type": "string", "nullable": true, "enum": ["Right", "right", null], "default": "Right"}
                },
                "example": {"inputs": "A wonderful, moving film."}
              },
              "LabelScore": {
                "type": "object",
                "required": ["label", "score"],
                "properties": {"label": {"type": "string"}, "score": {"type": "number"}}
              },
              "PredictResponse": {
                "oneOf": [
                  {"type": "array", "items": {"$ref": "#/components/schemas/LabelScore"}},
                  {"type": "array", "items": {"type": "array", "items": {"$ref": "#/components/schemas/LabelScore"}}}
                ]
              },
              "Info": {
                "type": "object",
                "properties": {
                  "model_id": {"type": "string"},
                  "model_type": {"type": "string"},
                  "head": {"type": "string", "enum": ["softmax", "sigmoid"]},
                  "labels": {"type": "array", "items": {"type": "string"}},
                  "max_input_length": {"type": "integer"},
                  "max_batch_tokens": {"type": "integer"},
                  "max_batch_requests": {"type": "integer"},
                  "max_client_batch_size": {"type": "integer"},
                  "max_concurrent_requests": {"type": "integer"},
                  "max_wait_ms": {"type": "number"},
                  "max_payload_bytes": {"type": "integer"},
                  "request_timeout_seconds": {"type": "number"},
                  "cleans_texts": {"type": "boolean"},
                  "precision": {"type": "string", "enum": ["fp32", "bf16"]},
                  "version": {"type": "string"}
                }
              },
              "Error": {
                "type": "object",
                "required": ["error", "error_type"],
                "properties": {
                  "error": {"type": "string"},
                  "error_type": {"type": "string", "enum": ["Validation", "Tokenizer", "Overloaded", "Empty", "Backend", "Unhealthy", "Unauthorized", "NotFound", "MethodNotAllowed", "RequestTimeout"]}
                }
              }
            }
          }
        }
        """
    }

    /// The operation `/predict` answers, which `POST /` answers too, under its own `id`.
    private static func predictOperation(id: String, summary: String) -> String {
        """
        {
          "summary": "\(summary)",
          "operationId": "\(id)",
          "security": [{"bearer": []}, {}],
          "requestBody": {
            "required": true,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PredictRequest"}}}
          },
          "responses": {
            "200": {
              "description": "Scores, best first: one list for a single input, a list of lists for a batch.",
              "headers": {
                "x-total-time": {"description": "Milliseconds from request to response.", "schema": {"type": "string"}},
                "x-tokenization-time": {"description": "Milliseconds spent reading and tokenising.", "schema": {"type": "string"}},
                "x-queue-time": {"description": "Milliseconds waited for the model.", "schema": {"type": "string"}},
                "x-inference-time": {"description": "Milliseconds of the model batch.", "schema": {"type": "string"}},
                "x-batch-size": {"description": "Inputs in the model batch this request joined.", "schema": {"type": "string"}},
                "x-compute-tokens": {"description": "Tokens of this request's inputs.", "schema": {"type": "string"}}
              },
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PredictResponse"}}}
            },
            "400": {"$ref": "#/components/responses/Error"},
            "401": {"$ref": "#/components/responses/Error"},
            "408": {"$ref": "#/components/responses/Error"},
            "413": {"$ref": "#/components/responses/Error"},
            "422": {"$ref": "#/components/responses/Error"},
            "424": {"$ref": "#/components/responses/Error"},
            "429": {"$ref": "#/components/responses/Error"},
            "503": {"$ref": "#/components/responses/Error"}
          }
        }
        """
    }
}
