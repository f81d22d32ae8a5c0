import BertSent
import Foundation
import Testing

/// Settings from a JSON config file and from flags, applied in that order.
@Suite struct TrainingOverridesTests {
    func file(_ json: String) throws -> URL {
        let url = try temporaryDirectory().appendingPathComponent("train.json")
        try Data(json.utf8).write(to: url)
        return url
    }

    @Test func fileSettingsApplyAndFlagsWin() throws {
        let fromFile = try TrainingOverrides(jsonFile: file(#"""
            {"learning_rate": 3e-5, "lr_scheduler": "cosine", "batch_size": 16, "adam_beta1": 0.8,
             "head": "sigmoid", "eval_strategy": "steps", "eval_steps": 50, "class_weights": [1, 3], "shuffle": false}
            """#))
        var flags = TrainingOverrides()
        flags.batchSize = 4
        let arguments = flags.applied(to: fromFile.applied(to: TrainingArguments()))
        #expect(arguments.optimization.learningRate == 3e-5 && arguments.optimization.schedule == .cosine)
        #expect(arguments.batchSize == 4, "the flag wins over the file")
        #expect(arguments.optimization.adamBeta1 == 0.8 && arguments.head == .sigmoid)
        #expect(arguments.evalStrategy == .steps && arguments.evalSteps == 50 && !arguments.shuffle)
        #expect(arguments.optimization.classWeights == [1, 3])
        #expect(arguments.epochs == 3 && arguments.optimization.weightDecay == 0.01, "untouched settings keep their defaults")
    }

    @Test func unknownKeysAndWrongTypesAreNamed() throws {
        let typo = try file(#"{"learning_rte": 1e-5}"#)
        #expect { try TrainingOverrides(jsonFile: typo) } throws: {
            "\($0)".contains(typo.path) && "\($0)".contains("unknown setting 'learning_rte'")
        }
        let wrongType = try file(#"{"epochs": "three"}"#)
        #expect { try TrainingOverrides(jsonFile: wrongType) } throws: { "\($0)".contains("setting 'epochs'") }
        let badValue = try file(#"{"lr_scheduler": "exponential"}"#)
        #expect { try TrainingOverrides(jsonFile: badValue) } throws: { "\($0)".contains("lr_scheduler") }
        let notObject = try file("[1, 2]")
        #expect { try TrainingOverrides(jsonFile: notObject) } throws: { "\($0)".contains("one JSON object") }
    }
}
