import Foundation
import ServiceSupport
import Testing

@Suite struct SystemdNotifierTests {
    @Test(arguments: [DatagramListener.Kind.path, .abstract])
    func listenerReceivesExactlyTheBytesOfEachMessage(kind: DatagramListener.Kind) throws {
        let listener = try DatagramListener(kind)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])
        #expect(notifier.isEnabled)
        #expect(notifier.address?.description == listener.notifySocket)

        let messages: [(NotifyMessage, String)] = [
            ([.ready, .status("3 fresh")], "READY=1\nSTATUS=3 fresh"),
            (.watchdog, "WATCHDOG=1"),
            (.reloading(monotonicMicroseconds: 42), "RELOADING=1\nMONOTONIC_USEC=42"),
            (.status("reload rejected:\nline 3"), "STATUS=reload rejected: line 3"),
            (.stopping, "STOPPING=1"),
        ]
        for (message, bytes) in messages {
            #expect(notifier.send(message))
            #expect(listener.receive() == bytes)
        }
    }

    @Test func sendsFromManyTasksAtOnceAllArrive() async throws {
        let listener = try DatagramListener(.abstract)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])
        // Read on a thread of its own while sending: the kernel queues only a few datagrams.
        async let received = withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Set((0..<50).compactMap { _ in listener.receive() })) }.start()
        }
        let sent = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<50 {
                group.addTask { notifier.send(.status("task \(index)")) }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(sent == 50)
        #expect(await received == Set((0..<50).map { "STATUS=task \($0)" }))
    }

    @Test(arguments: [
        [:],
        ["NOTIFY_SOCKET": ""],
        ["NOTIFY_SOCKET": "run/user/1000/systemd/notify"],
        ["NOTIFY_SOCKET": "./notify"],
        ["NOTIFY_SOCKET": "@"],
        ["NOTIFY_SOCKET": "vsock:2:1234"],
        ["NOTIFY_SOCKET": "/" + String(repeating: "x", count: 108)],
    ])
    func unusableSocketVariableMakesSendingANoOp(environment: [String: String]) {
        let notifier = SystemdNotifier(environment: environment)
        #expect(!notifier.isEnabled)
        #expect(!notifier.send(.ready))
    }

    @Test func relativePathIsRefusedEvenWhenASocketIsThere() throws {
        let listener = try DatagramListener(.path)
        let relative = String(listener.notifySocket.dropFirst())
        #expect(!SystemdNotifier(environment: ["NOTIFY_SOCKET": relative]).send(.ready))
        #expect(!listener.hasPendingDatagram)
    }

    @Test func missingListenerMakesSendReturnFalse() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/cce-kubeconfigd/notify"])
        #expect(notifier.isEnabled)
        #expect(!notifier.send(.ready))
    }

    @Test func sendGivesUpWhenTheManagerStopsReading() throws {
        let listener = try DatagramListener(.abstract)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])
        var results: [Bool] = []
        while results.count < 10_000, results.last != false {
            results.append(notifier.send(.watchdog))
        }
        #expect(results.last == false)
        #expect(results.dropLast().allSatisfy { $0 })
    }

    @Test func payloadSystemdWouldIgnoreIsNotSent() throws {
        let listener = try DatagramListener(.abstract)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])
        let status = NotifyMessage.status(String(repeating: "x", count: NotifyMessage.maximumStatusSize))
        let oversized: NotifyMessage = [status, status, status, status, status]
        #expect(!notifier.send(oversized))
        #expect(!listener.hasPendingDatagram)
    }

    @Test func longestAbstractNameFitsSunPath() {
        let name = "@" + String(repeating: "n", count: 107)
        #expect(NotifySocketAddress(name)?.description == name)
        #expect(NotifySocketAddress(name + "n") == nil)
    }
}
