package org.captchasolver.image;

import java.awt.image.BufferedImage;

/** A decoded image with its header; {@code image} is null when only the header was read. */
public record DecodedImage(ImageHeader header, BufferedImage image) {}
