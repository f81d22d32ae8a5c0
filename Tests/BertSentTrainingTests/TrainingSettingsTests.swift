import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// The settings table: a JSON config file over the defaults, values from command-line words, the
/// saved state's round trip, and errors that name the setting.
@Suite struct TrainingSettingsTests {
    func file(_ json: String) throws -> URL {
        let url = try temporaryDirectory().appendingPathComponent("train.json")
        try Data(json.utf8).write(to: url)
        return url
    }

    @Test func fileSettingsApplyOverTheBaseAndWordsOverTheFile() throws {
        var base = TrainingArguments()
        base.epochs = 7
        var arguments = try base.applying(
            jsonFile: file(
                #"""
                {"learning_rate": 3e-5, "lr_scheduler": "cosine", "batch_size": 16, "adam_beta1": 0.8,
                 "head": "sigmoid", "eval_strategy": "steps", "eval_steps": 50, "class_weights": [1, 3], "shuffle": false,
                 "save_total_limit": null}
                """#))
        try arguments.set("batch_size", to: "4")
        #expect(arguments.learningRate == 3e-5 && arguments.schedule == .cosine)
        #expect(arguments.batchSize == 4, "a later value wins over the file")
        #expect(arguments.adamBeta1 == 0.8 && arguments.head == .sigmoid)
        #expect(arguments.evalStrategy == .steps && arguments.evalSteps == 50 && !arguments.shuffle)
        #expect(arguments.classWeights == [1, 3] && arguments.saveTotalLimit == nil)
        #expect(
            arguments.epochs == 7 && arguments.weightDecay == 0.01,
            "settings the file leaves out keep the base's values")
    }

    @Test func everySettingReadsBackFromItsOwnTextAndFromSavedState() throws {
        var arguments = TrainingArguments()
        try arguments.set("class_weights", to: "1,2.5")
        try arguments.set("max_steps", to: "12")
        try arguments.set("precision", to: "bf16")
        try arguments.set("group_by_length", to: "true")
        #expect(
            arguments.classWeights == [1, 2.5] && arguments.maxSteps == 12 && arguments.precision == .bf16
                && arguments.groupByLength)
        var fromText = TrainingArguments()
        for (name, value) in arguments.settingValues where value != "none" { try fromText.set(name, to: value) }
        #expect(fromText == arguments)
        arguments.saveTotalLimit = nil
        let saved = try JSONDecoder().decode(TrainingArguments.self, from: JSONEncoder().encode(arguments))
        #expect(saved == arguments, "a nil setting whose default is not nil stays nil")
        #expect(
            Set(TrainingArguments.settings.map(\.name)).count == TrainingArguments.settings.count, "names are unique")
    }

    @Test func unknownKeysWrongTypesAndBadValuesAreNamed() throws {
        let typo = try file(#"{"learning_rte": 1e-5}"#)
        #expect { try TrainingArguments().applying(jsonFile: typo) } throws: { error in
            guard case .inFile(typo.path, .unknownSetting("learning_rte", _)) = error as? SettingsError else {
                return false
            }
            return true
        }
        let wrongType = try file(#"{"epochs": "three"}"#)
        #expect { try TrainingArguments().applying(jsonFile: wrongType) } throws: { error in
            guard case .inFile(_, .invalidValue(setting: "epochs", _, expected: "an integer")) = error as? SettingsError
            else { return false }
            return true
        }
        let badValue = try file(#"{"lr_scheduler": "exponential"}"#)
        #expect { try TrainingArguments().applying(jsonFile: badValue) } throws: { error in
            guard case .inFile(_, .invalidValue(setting: "lr_scheduler", _, _)) = error as? SettingsError else {
                return false
            }
            return true
        }
        let notObject = try file("[1, 2]")
        #expect(throws: SettingsError.inFile(notObject.path, .notAnObject)) {
            try TrainingArguments().applying(jsonFile: notObject)
        }
        var arguments = TrainingArguments()
        #expect(throws: SettingsError.invalidValue(setting: "epochs", value: "x", expected: "an integer")) {
            try arguments.set("epochs", to: "x")
        }
        #expect { try arguments.set("epoch", to: "3") } throws: { error in
            guard case .unknownSetting("epoch", _) = error as? SettingsError else { return false }
            return true
        }
    }

    @Test func validationNamesTheSettingAndItsRule() throws {
        var arguments = TrainingArguments()
        arguments.batchSize = 0
        #expect(throws: SettingsError.outOfRange(setting: "batch_size", value: "0", requirement: "at least 1")) {
            try arguments.validate(numLabels: 2)
        }
        arguments = TrainingArguments()
        arguments.earlyStoppingPatience = 2
        arguments.evalStrategy = .no
        #expect { try arguments.validate(numLabels: 2) } throws: { error in
            guard case .conflict(setting: "early_stopping_patience", with: "eval_strategy", _) = error as? SettingsError
            else { return false }
            return true
        }
    }
}
