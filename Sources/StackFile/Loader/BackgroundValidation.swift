import Dispatch
import StackCore

/// Validates a merged tree against the stack-file schema on another core while the loader runs
/// the stages after validation (profiles, normalization, consistency) on this one.
///
/// Validation only reads the tree, and the later stages do not depend on its outcome, so running
/// them side by side changes nothing a caller can see, provided the caller reports a validation
/// error ahead of anything the later stages found and keeps validation's warnings first.
final class BackgroundValidation: @unchecked Sendable {
    /// Written once by the background thread before it signals `done`.
    private var outcome: Result<[StackWarning], StackError> = .success([])
    private let done = DispatchSemaphore(value: 0)

    /// Starts validating `tree`.
    init(_ tree: Node) {
        DispatchQueue.global().async {
            var warnings: [StackWarning] = []
            do throws(StackError) {
                try SchemaValidator.stackFile.validate(tree, warnings: &warnings)
                self.outcome = .success(warnings)
            } catch {
                self.outcome = .failure(error)
            }
            self.done.signal()
        }
    }

    /// Waits for the validation; its warnings, or the error it found. Call once.
    func finish() -> Result<[StackWarning], StackError> {
        done.wait()
        // The semaphore orders the background write before this read.
        return outcome
    }
}
