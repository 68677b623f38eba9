// The pod sandbox's process for the test cluster (testkit/kubernetes): it holds the pod's namespaces open and does
// nothing else until it is told to stop. Kubernetes' own pause image cannot be pulled here (no registry), so the
// harness builds this one, statically linked, into an image of its own.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	children := make(chan os.Signal, 16)
	signal.Notify(children, syscall.SIGCHLD)
	for {
		select {
		case <-stop:
			os.Exit(0)
		case <-children:
			// PID 1 of a pod that shares its process namespace reaps the orphans handed to it.
			for {
				pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
				if pid <= 0 || err != nil {
					break
				}
			}
		}
	}
}
