import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// Checkpoints that a crash, a full disk or a damaged file cannot turn into a wrong resume: each records
/// its files' sizes and digests, a damaged one is refused by name, a run folder resumes from its newest
/// intact one, folders cut short are tidied, and a stop request ends a run with a checkpoint to resume.
@Suite struct CheckpointIntegrityTests {
    let base = TrainerTests()

    /// A run stopped after 4 updates, with checkpoints at 2 and 4 (evaluation every 2).
    func interruptedRun(in root: URL) throws -> URL {
        let run = root.appendingPathComponent("run")
        #expect(try base.trainer(base.arguments(), output: run).run(stopAfter: 4).globalStep == 4)
        return run
    }

    @Test func aCheckpointRecordsItsFiles() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let checkpoint = try interruptedRun(in: root).appendingPathComponent("checkpoint-4")
        let files = try #require(try TrainerState.read(from: checkpoint).checkpointFiles)
        let present = try FileManager.default.contentsOfDirectory(atPath: checkpoint.path).filter {
            $0 != "trainer_state.json"
        }
        #expect(Set(files.keys) == Set(present))
        #expect(files.keys.contains("model.safetensors") && files.keys.contains("optimizer.safetensors"))
        for (name, file) in files {
            let size =
                try FileManager.default.attributesOfItem(atPath: checkpoint.appendingPathComponent(name).path)[
                    .size] as? Int
            #expect(Int64(size ?? -1) == file.size, "\(name)")
            #expect(file.sha256.count == 64)
        }
    }

    @Test func aDamagedCheckpointIsRefusedByNameAndTheRunFolderFallsBack() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try interruptedRun(in: root)
        let newest = run.appendingPathComponent("checkpoint-4")
        let optimizer = newest.appendingPathComponent("optimizer.safetensors")
        let bytes = try Data(contentsOf: optimizer)
        try bytes.prefix(bytes.count - 8).write(to: optimizer)
        #expect {
            try ResumePoint(resolving: newest)
        } throws: {
            guard case TrainingError.corruptCheckpoint(let path, let file, _) = $0 else { return false }
            return path == newest.path && file == "optimizer.safetensors"
        }

        let point = try ResumePoint(resolving: run)
        #expect(point.checkpoint.lastPathComponent == "checkpoint-2")
        #expect(point.refused.count == 1 && point.refused[0].contains("checkpoint-4"), "\(point.refused)")
        let resumed = try Trainer.resume(from: point, train: base.data, validation: base.data, outputDirectory: run)
        #expect(try resumed.run().globalStep == 12)

        // The same size with one byte changed is caught by the digest; with no intact checkpoint left,
        // the run folder is refused with every reason.
        let steps = checkpointSteps(in: run)
        for step in steps {
            let weights = run.appendingPathComponent("checkpoint-\(step)/model.safetensors")
            var changed = try Data(contentsOf: weights)
            changed[changed.count - 1] ^= 0x01
            try changed.write(to: weights)
        }
        #expect {
            try ResumePoint(resolving: run)
        } throws: {
            guard case TrainingError.noValidCheckpoint(_, let refused) = $0 else { return false }
            return refused.count == steps.count && refused.allSatisfy { $0.contains("sha256") }
        }
    }

    @Test func aFolderWithoutCheckpointsIsNamed() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(throws: TrainingError.noValidCheckpoint(path: root.path, refused: [])) {
            try ResumePoint(resolving: root)
        }
        let missing = root.appendingPathComponent("nowhere")
        #expect(
            throws: FileError.unreadable(
                path: missing.path, what: "the checkpoint or run folder to resume", reason: "No such file or directory")
        ) { try ResumePoint(resolving: missing) }
    }

    /// What a process killed mid-write leaves — a hidden half-written folder, `best/` moved aside
    /// between its two renames — is tidied when the run continues.
    @Test func writesCutShortAreTidiedOnTheNextRun() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try interruptedRun(in: root)
        let fm = FileManager.default
        try fm.moveItem(at: run.appendingPathComponent("best"), to: run.appendingPathComponent(".best.old"))
        try fm.createDirectory(
            at: run.appendingPathComponent(".checkpoint-6.partial"), withIntermediateDirectories: true)
        try fm.createDirectory(
            at: run.appendingPathComponent(".checkpoint-2.deleting"), withIntermediateDirectories: true)
        let resumed = try Trainer.resume(
            from: run.appendingPathComponent("checkpoint-4"), train: base.data, validation: base.data,
            outputDirectory: run)
        try resumed.run(stopAfter: 5)
        let names = try fm.contentsOfDirectory(atPath: run.path)
        #expect(!names.contains { $0.hasPrefix(".") }, "\(names)")
        #expect(try TrainerState.read(from: run.appendingPathComponent("best")).globalStep <= 4)
    }

    /// A stop request (what SIGTERM makes) ends the run after the step under way with a checkpoint
    /// there, and the run resumed from it ends as an uninterrupted one, bit for bit.
    @Test func aStopRequestSavesACheckpointToResumeFrom() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let whole = try base.trainer(base.arguments(), output: root.appendingPathComponent("whole"))
        try whole.run()

        let run = root.appendingPathComponent("stopped")
        let request = TrainingStopRequest()
        var steps = 0
        #expect(throws: TrainingError.interrupted(signal: SIGTERM, step: 3, checkpoint: run.path + "/checkpoint-3")) {
            try base.trainer(base.arguments(), output: run).run(stopRequest: request) { event in
                if event.entry.kind == .train { steps += 1 }
                if steps == 3 { request.request(signal: SIGTERM) }
            }
        }
        let resumed = try Trainer.resume(from: run, train: base.data, validation: base.data, outputDirectory: run)
        #expect(resumed.state.globalStep == 3)
        try resumed.run()
        let a = Array(whole.model.parameters.buffer), b = Array(resumed.model.parameters.buffer)
        #expect(zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }, "weights differ by up to \(maxAbsDiff(a, b))")
    }

    @Test func aFullDiskIsReportedBeforeWriting() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let free = try #require(DiskSpace.available(at: root))
        #expect {
            try DiskSpace.require(free * 2 + 1, at: root.appendingPathComponent("not/yet/made"), what: "the test")
        } throws: {
            guard case FileError.noSpace(_, "the test", let needed, let available) = $0 else { return false }
            return needed == free * 2 + 1 && available > 0 && ($0 as? FileError)?.category == .writeFailed
        }
        #expect(DiskSpace.isNoSpace(POSIXError(.ENOSPC)))
        #expect(!DiskSpace.isNoSpace(POSIXError(.EACCES)))
    }
}

/// The `checkpoint-STEP` folders of `run`, by step.
private func checkpointSteps(in run: URL) -> [Int] {
    ((try? FileManager.default.contentsOfDirectory(atPath: run.path)) ?? []).compactMap {
        $0.hasPrefix("checkpoint-") ? Int($0.dropFirst("checkpoint-".count)) : nil
    }
}
