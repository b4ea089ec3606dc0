"""Full-size torchvision AlexNet parity, generated at test time (244 MB is too big to commit).

Usage: /usr/bin/python3 full_size_torchvision.py OUT_DIR PHOTO...

Writes OUT_DIR/alexnet.pth (torch.save of the state_dict of torchvision.models.alexnet() with torch's
default initialization, seed 0) and prints, as JSON, for each photo preprocessed the torchvision way
(Resize(256), CenterCrop(224), ToTensor, Normalize with ImageNet's mean and std) PyTorch's logits, its
top-5 and how far the 5th logit is above the 6th relative to the logit range.
"""

import json
import os
import sys

import torch
import torchvision
import torchvision.transforms as T
from PIL import Image


def main():
    out, photos = sys.argv[1], sys.argv[2:]
    torch.manual_seed(0)
    torch.set_num_threads(2)
    model = torchvision.models.alexnet().eval()
    torch.save(model.state_dict(), os.path.join(out, "alexnet.pth"))
    transform = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(),
                           T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    report = {}
    with torch.no_grad():
        for photo in photos:
            logits = model(transform(Image.open(photo).convert("RGB")).unsqueeze(0))[0]
            ordered = logits.sort(descending=True).values
            report[os.path.basename(photo)] = {
                "logits": logits.tolist(),
                "top5": logits.topk(5).indices.tolist(),
                "margin": ((ordered[4] - ordered[5]) / (ordered[0] - ordered[-1])).item(),
            }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
