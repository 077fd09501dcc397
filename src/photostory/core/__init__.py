"""The Qt-free core: story model, story files, images, metadata and export."""
