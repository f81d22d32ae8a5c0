/// Stops the run, as a crash libFuzzer reports and saves the input of, when a property of the code under test
/// does not hold. `fatalError`, not `precondition`: its message is printed in release builds too.
public func require(_ holds: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !holds() { fatalError("property violated: \(message())") }
}
