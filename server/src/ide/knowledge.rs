//! Facts about Dockerfile instructions, flags, mounts and images, shared by completion, hover and rules.
